// The example files in examples/ are what users copy: check them with the real tools.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProgram, requireProgram, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('../examples', import.meta.url));
const promtool = requireProgram('promtool', 'prometheus');
const systemdAnalyze = findProgram('systemd-analyze');

describe('examples', () => {
  const tmp = tempDir('tab-examples-');
  afterAll(() => tmp.cleanup());

  it.skipIf(!promtool)('promtool accepts the alert rules and the scrape config', () => {
    const rules = spawnSync(promtool!, ['check', 'rules', join(examples, 'alerts.yml')], {
      encoding: 'utf8',
    });
    expect(rules.stdout + rules.stderr).toMatch(/SUCCESS: 5 rules found/);
    expect(rules.status).toBe(0);
    const config = spawnSync(promtool!, ['check', 'config', join(examples, 'prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(config.status).toBe(0);
  });

  it('the alert rules use only metrics the exporter serves', () => {
    const served = new Set(
      [
        ...readFileSync(
          fileURLToPath(new URL('fixtures/metrics.golden.prom', import.meta.url)),
          'utf8',
        ).matchAll(/^# TYPE (\S+)/gm),
      ].map((m) => m[1]),
    );
    const used = [...readFileSync(join(examples, 'alerts.yml'), 'utf8').matchAll(/\b(firefox_[a-z_]+)/g)].map(
      (m) => m[1],
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !served.has(name))).toEqual([]);
  });

  // systemd is not on every build machine; where it is, the unit must verify without a warning.
  it.skipIf(!systemdAnalyze)('systemd-analyze accepts the user unit', () => {
    const unit = readFileSync(join(examples, 'tab-exporter.service'), 'utf8').replace(
      '%h/.local/bin/tab-exporter',
      process.execPath,
    );
    const path = join(tmp.path, 'tab-exporter.service');
    writeFileSync(path, unit);
    const r = spawnSync(systemdAnalyze!, ['verify', path], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
