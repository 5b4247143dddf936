import { silentLogger, startExporter } from '@motley/exporter-kit';
import { definition } from './dist/exporter.js';

const r = await startExporter(definition, ['--web.listen-address=127.0.0.1:0', ...process.argv.slice(2)], {
  log: silentLogger,
});
for (let i = 0; i < 100; i++) await r.scrapeText();
let t0 = performance.now();
for (let i = 0; i < 300; i++) await r.scrapeText();
console.log('scrapeText ms', ((performance.now() - t0) / 300).toFixed(2));
t0 = performance.now();
for (let i = 0; i < 300; i++) await (await fetch(r.urls[0] + '/metrics')).text();
console.log('http ms', ((performance.now() - t0) / 300).toFixed(2));
console.log(
  'rss',
  (process.memoryUsage().rss / 1048576).toFixed(1),
  'heap',
  (process.memoryUsage().heapUsed / 1048576).toFixed(1),
);
await r.stop();
