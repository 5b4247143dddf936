import { request } from 'node:http';
import { silentLogger, startExporter } from '@motley/exporter-kit';
import { definition } from './dist/exporter.js';

const mu = (l) => {
  const m = process.memoryUsage();
  console.log(
    l,
    'rss',
    (m.rss / 1048576).toFixed(1),
    'heapTotal',
    (m.heapTotal / 1048576).toFixed(1),
    'heapUsed',
    (m.heapUsed / 1048576).toFixed(1),
    'ext',
    (m.external / 1048576).toFixed(1),
    'ab',
    (m.arrayBuffers / 1048576).toFixed(1),
  );
};
mu('start');
const r = await startExporter(definition, ['--web.listen-address=127.0.0.1:0', ...process.argv.slice(2)], {
  log: silentLogger,
});
mu('started');
for (let i = 0; i < 300; i++) await r.scrapeText();
mu('after 300 scrapeText');
global.gc();
mu('after gc');
await r.stop();
