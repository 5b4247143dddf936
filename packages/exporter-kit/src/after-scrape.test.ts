import { afterEach, describe, expect, it } from 'vitest';
import type { RunningExporter } from './exporter.js';
import type { ExporterDefinition } from './exporter-definition.js';
import { gauge } from './exposition.js';
import { startOnRandomPort } from './testing.js';

describe('ExporterInstance.afterScrape', () => {
  let running: RunningExporter | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('runs once per /metrics answer, after the body went out, and not for other pages', async () => {
    const events: string[] = [];
    const def: ExporterDefinition = {
      name: 'after-test',
      namespace: 'after',
      version: '0.0.0',
      description: 'test',
      defaultListenAddress: ':0',
      setup: () => ({
        collectors: [
          {
            name: 'one',
            collect: () => {
              events.push('collect');
              return [gauge('after_one', 'One.', [{ value: 1 }])];
            },
          },
        ],
        afterScrape: () => events.push('after'),
      }),
    };
    const exporter = await startOnRandomPort(def);
    running = exporter;
    for (const encoding of ['identity', 'gzip']) {
      const r = await fetch(`${exporter.url}/metrics`, { headers: { 'Accept-Encoding': encoding } });
      expect(await r.text()).toContain('after_one 1');
    }
    await (await fetch(`${exporter.url}/`)).text();
    await (await fetch(`${exporter.url}/metrics?collect[]=nope`)).text();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['collect', 'after', 'collect', 'after']);
  });
});
