import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  promtoolCheckMetrics,
  sampleValue,
  startExporterBinary,
  tempDir,
} from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = (args: string[]) =>
  spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });

/** Starts the real binary on a random port and resolves with its base URL. */
async function startProcess(
  args: string[],
  script = MAIN,
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  // With the Go exporter's -l, the test gives the listen address itself.
  const started = await startExporterBinary(script, args, { listen: !args.includes('-l') });
  return { child: started.proc, url: started.url, stderr: started.output };
}

describe('the real lywsd03mmc-exporter process', () => {
  const dir = tempDir();
  let proc: Awaited<ReturnType<typeof startProcess>>;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('build first: pnpm --filter @motley/lywsd03mmc-exporter build');
    const keys = join(dir.path, 'keys');
    writeFileSync(keys, '# format: MAC KEY\nA4C138FFFFFF 00112233445566778899aabbccddeeff\n');
    // The Go exporter's short flags: -l for the listen address, -k for the bindkey file.
    proc = await startProcess(['-l', '127.0.0.1:0', '-k', keys, '--bluetooth.retry-interval=200ms']);
  });
  afterAll(() => {
    proc?.child.kill('SIGKILL');
    dir.cleanup();
  });

  it('serves /metrics and says on / why there is no data when Bluetooth is missing or scanning', async () => {
    const text = await (await fetch(`${proc.url}/metrics`)).text();
    const up = sampleValue(text, 'thermometer_bluetooth_up', { adapter: 'hci0' });
    expect(up === 0 || up === 1).toBe(true);
    expect(sampleValue(text, 'thermometer_build_info')).toBe(1);
    const check = promtoolCheckMetrics(text);
    if (check) expect(check.output).toBe('');
    const landing = await (await fetch(`${proc.url}/`)).text();
    expect(landing).toContain(up === 0 ? 'Bluetooth unavailable, no sensor data:' : 'scanning on hci0');
  });

  it('keeps retrying Bluetooth without crashing and stops cleanly on SIGTERM', async () => {
    await new Promise((r) => setTimeout(r, 500));
    expect(proc.child.exitCode).toBeNull();
    const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
    proc.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('rejects a bad config file with one line naming file and line, exit 2', () => {
    const bad = join(dir.path, 'bad.yml');
    writeFileSync(bad, 'sensors:\n  - mac: A4C138FFFFFF\n    bindkey: nothex\n');
    const r = run([`--config.file=${bad}`, '--web.listen-address=127.0.0.1:0']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${bad}:3: bindkey must be 32 hex digits`);
  });

  it('decode prints JSON for a payload and a clear error for a wrong bindkey', () => {
    const frame = '58585b0550f4830238c1a495ef58763c26000097e2abb5';
    const ok = run(['decode', '--bindkey', 'e9ea895fac7cca6d30532432a516f3a8', 'fe95', frame]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      format: 'mibeacon',
      mac: 'A4C1380283F4',
      encrypted: true,
      reading: { humidityPercent: 46.7 },
    });
    const wrong = run(['decode', '--bindkey', 'e9ea895fac7cca6d30532432a516f3a9', 'fe95', frame]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^lywsd03mmc-exporter decode: wrong_bindkey: .*wrong bindkey/);
    const bthome = run(['decode', '0xFCD2', '40003f015e02820803ac170c830b']);
    expect(JSON.parse(bthome.stdout).reading).toEqual({
      frame: 63,
      batteryPercent: 94,
      temperatureCelsius: 21.78,
      humidityPercent: 60.6,
      batteryVolts: 2.947,
    });
    expect(run(['decode', 'fcd2']).status).toBe(2);
  });
});

describe('the real process with a simulated adapter (bench/simulated-exporter.mjs)', () => {
  it('publishes sensors as their adverts arrive and shuts down cleanly while scanning', async () => {
    const script = fileURLToPath(new URL('../bench/simulated-exporter.mjs', import.meta.url));
    const proc = await startProcess(['--sensors', '4', '--every', '50'], script);
    try {
      let text = '';
      for (let i = 0; i < 100; i++) {
        text = await (await fetch(`${proc.url}/metrics`)).text();
        if ((text.match(/^thermometer_temperature_celsius\{/gm) ?? []).length === 4) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((text.match(/^thermometer_temperature_celsius\{/gm) ?? []).length).toBe(4);
      expect(sampleValue(text, 'thermometer_bluetooth_up')).toBe(1);
      expect(sampleValue(text, 'thermometer_decode_errors_total', { reason: 'wrong_bindkey' })).toBe(0);
      // The simulated sensors rotate pvvx, atc1441, BTHome and encrypted MiBeacon.
      for (const format of ['pvvx', 'atc1441', 'bthome', 'mibeacon']) {
        expect(sampleValue(text, 'thermometer_adverts_total', { format })).toBeGreaterThan(0);
      }
      const check = promtoolCheckMetrics(text);
      if (check) expect(check.output).toBe('');
      const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
      proc.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });
});
