import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ManualClock, promtoolCheckMetrics, startOnRandomPort } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { createDefinition } from '../src/exporter.js';
import type { Noble } from '../src/noble-types.js';
import { FakeNobleBindings } from './fake-noble-bindings.js';

// UPDATE_GOLDEN=1 pnpm exec vitest run packages/lywsd03mmc-exporter/test/golden.test.ts rewrites the file.
const here = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
const withBindings = createRequire(import.meta.url)('@abandonware/noble/with-bindings') as (
  b: unknown,
) => Noble;

describe('golden /metrics for a fixed sequence of adverts', () => {
  it('matches test/golden/metrics.prom', async () => {
    const start = 1_800_000_000_000;
    const clock = new ManualClock(start);
    const bindings = new FakeNobleBindings();
    const exporter = await startOnRandomPort(
      createDefinition({ loadNoble: () => withBindings(bindings) }),
      [`--config.file=${here('sensors.yml')}`],
      { clock },
    );
    try {
      for (let i = 0; i < 100 && !bindings.scanning; i++) await new Promise((r) => setTimeout(r, 10));
      for (const line of readFileSync(here('adverts.txt'), 'utf8').split('\n')) {
        if (!line.trim() || line.startsWith('#')) continue;
        const [seconds, address, uuid, data, rssi] = line.trim().split(/\s+/);
        clock.set(start + Number(seconds) * 1000);
        bindings.advertise(address, [{ uuid, data: Buffer.from(data, 'hex') }], Number(rssi));
      }
      // build_info carries the Node.js version and architecture of whoever runs the test.
      const text = (await (await fetch(`${exporter.url}/metrics`)).text()).replace(
        /^(# (HELP|TYPE) )?thermometer_build_info\b.*\n/gm,
        '',
      );
      const check = promtoolCheckMetrics(text);
      if (check) expect(check.output).toBe('');
      if (process.env.UPDATE_GOLDEN) writeFileSync(here('metrics.prom'), text);
      expect(text).toBe(readFileSync(here('metrics.prom'), 'utf8'));
    } finally {
      await exporter.stop();
    }
  });
});
