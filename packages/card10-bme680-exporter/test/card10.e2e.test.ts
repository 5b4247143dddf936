/**
 * The exporter as a real process against a fake card10 on the other end of a real PTY pair
 * (socat). The exporter opens a symlink, as with the udev rule, so the badge can vanish and come
 * back under a new PTY. All assertions are on what /metrics and / serve.
 */
import { spawn, spawnSync } from 'node:child_process';
import { symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promtoolCheckMetrics, requireProgram, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterProcess, eventually, MAIN, startExporterProcess } from './exporter-process.js';
import { DEFAULT_VALUES, FakeCard10 } from './fake-card10.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';

const socat = requireProgram('socat');

const value = (text: string, name: string, labels: Record<string, string> = {}) =>
  sampleValue(text, name, labels);

describe.skipIf(!socat)('card10-bme680-exporter against a fake card10 on a PTY', () => {
  const tmp = tempDir('card10-e2e-');
  const device = join(tmp.path, 'card10');
  let pty: PtyPair;
  let board: FakeCard10;
  let exporter: ExporterProcess;

  async function plugIn(): Promise<void> {
    pty = await openPtyPair(socat!);
    try {
      unlinkSync(device);
    } catch {}
    symlinkSync(pty.host, device);
    board = await FakeCard10.open(pty.board);
  }

  /** Waits for a scrape where `check` holds; returns that scrape. */
  const scrapeUntil = (what: string, check: (text: string) => boolean, timeoutMs = 10_000) =>
    eventually(
      async () => {
        const text = await exporter.metrics();
        return check(text) ? text : undefined;
      },
      what,
      timeoutMs,
      async () => `last scrape:\n${await exporter.metrics()}\nexporter log:\n${exporter.output()}`,
    );

  beforeAll(async () => {
    await plugIn();
    exporter = await startExporterProcess([
      `--serial.device=${device}`,
      '--poll.interval=200ms',
      '--serial.timeout=1s',
      '--serial.reconnect-max-delay=1s',
      '--reading.ttl=1500ms',
    ]);
  });

  afterAll(async () => {
    await exporter?.stop();
    await board?.close();
    await pty?.kill();
    tmp.cleanup();
  });

  it('interrupts the running app, enters the raw REPL and exports a BSEC reading in base units', async () => {
    const text = await scrapeUntil(
      'a reading',
      (t) => value(t, 'card10_bme680_temperature_celsius') !== undefined,
    );
    expect(value(text, 'card10_up')).toBe(1);
    expect(value(text, 'card10_bme680_temperature_celsius')).toBe(DEFAULT_VALUES.temperature);
    expect(value(text, 'card10_bme680_humidity_ratio')).toBe(0.415);
    expect(value(text, 'card10_bme680_pressure_pascals')).toBe(101325);
    expect(value(text, 'card10_bme680_gas_resistance_ohms')).toBe(DEFAULT_VALUES.gasResistance);
    expect(value(text, 'card10_bme680_iaq')).toBe(DEFAULT_VALUES.iaq);
    expect(value(text, 'card10_bme680_iaq_accuracy')).toBe(2);
    expect(value(text, 'card10_bme680_eco2_ppm')).toBe(DEFAULT_VALUES.eco2);
    expect(value(text, 'card10_bme680_breath_voc_ppm')).toBe(DEFAULT_VALUES.breathVoc);
    const last = value(text, 'card10_last_reading_timestamp_seconds')!;
    expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(10);
    for (const kind of ['open', 'timeout', 'disconnect', 'protocol', 'traceback', 'parse']) {
      expect(value(text, 'card10_errors_total', { kind })).toBe(0);
    }
    expect(value(text, 'card10_scrape_collector_success', { collector: 'bme680' })).toBe(1);
    expect(board.programs[0]).toContain('with bme680.Bme680() as');
    const check = promtoolCheckMetrics(text);
    if (check) expect(check.output).toBe('');
    if (check) expect(check.ok).toBe(true);
  });

  it('follows new values and drops the BSEC series when BSEC is off', async () => {
    board.behaviour.values = { ...DEFAULT_VALUES, temperature: -3.5, humidity: 87, pressure: 987.6 };
    board.behaviour.bsec = false;
    const text = await scrapeUntil(
      'a reading without BSEC',
      (t) => value(t, 'card10_bme680_iaq') === undefined,
    );
    expect(value(text, 'card10_bme680_temperature_celsius')).toBe(-3.5);
    expect(value(text, 'card10_bme680_humidity_ratio')).toBe(0.87);
    expect(value(text, 'card10_bme680_pressure_pascals')).toBe(98760);
    for (const name of [
      'card10_bme680_iaq_accuracy',
      'card10_bme680_eco2_ppm',
      'card10_bme680_breath_voc_ppm',
    ]) {
      expect(value(text, name)).toBeUndefined();
    }
    expect(await exporter.landing()).toContain('BSEC off');
    board.behaviour.bsec = true;
    board.behaviour.values = { ...DEFAULT_VALUES };
  });

  it('counts a traceback from the board, stays up, and lets the reading expire', async () => {
    board.behaviour.answer = 'no-module';
    const text = await scrapeUntil(
      'the reading to expire after tracebacks',
      (t) =>
        (value(t, 'card10_errors_total', { kind: 'traceback' }) ?? 0) > 0 &&
        value(t, 'card10_bme680_temperature_celsius') === undefined,
    );
    expect(value(text, 'card10_up')).toBe(1);
    expect(value(text, 'card10_last_reading_timestamp_seconds')).toBeGreaterThan(0);
    expect(await exporter.landing()).toContain("ImportError: no module named 'bme680'");
    board.behaviour.answer = 'reading';
    await scrapeUntil(
      'recovery after tracebacks',
      (t) => value(t, 'card10_bme680_temperature_celsius') !== undefined,
    );
  });

  it('counts a cut-off reading line as a parse error', async () => {
    board.behaviour.answer = 'cut-off';
    const text = await scrapeUntil(
      'a parse error',
      (t) => (value(t, 'card10_errors_total', { kind: 'parse' }) ?? 0) > 0,
    );
    expect(value(text, 'card10_up')).toBe(1);
    board.behaviour.answer = 'reading';
  });

  it('reads through garbage bytes and answers split into small chunks', async () => {
    board.behaviour.noise = true;
    board.behaviour.chunkBytes = 5;
    board.behaviour.values = { ...DEFAULT_VALUES, temperature: 30.25 };
    const before = value(await exporter.metrics(), 'card10_errors_total', { kind: 'parse' });
    const runs = board.runs;
    const text = await scrapeUntil(
      'a reading through noise',
      (t) => value(t, 'card10_bme680_temperature_celsius') === 30.25,
    );
    await eventually(async () => (board.runs >= runs + 3 ? true : undefined), 'three more polls');
    const after = await exporter.metrics();
    expect(value(after, 'card10_errors_total', { kind: 'parse' })).toBe(before);
    expect(value(after, 'card10_bme680_temperature_celsius')).toBe(30.25);
    expect(value(text, 'card10_up')).toBe(1);
    board.behaviour.noise = false;
    board.behaviour.chunkBytes = undefined;
  });

  it('reports card10_up 0 while the board does not answer, then recovers', async () => {
    board.behaviour.stalled = true;
    const stalled = await scrapeUntil('up 0 on a stalled board', (t) => value(t, 'card10_up') === 0);
    expect(value(stalled, 'card10_errors_total', { kind: 'timeout' })).toBeGreaterThan(0);
    board.behaviour.values = { ...DEFAULT_VALUES, temperature: 19.5 };
    board.behaviour.stalled = false;
    const back = await scrapeUntil(
      'recovery after a stall',
      (t) => value(t, 'card10_bme680_temperature_celsius') === 19.5,
    );
    expect(value(back, 'card10_up')).toBe(1);
  });

  it('survives the badge vanishing and coming back on a new PTY', async () => {
    await board.close();
    await pty.kill();
    const gone = await scrapeUntil('up 0 after unplug', (t) => value(t, 'card10_up') === 0);
    expect(value(gone, 'card10_errors_total', { kind: 'disconnect' })).toBeGreaterThan(0);
    await scrapeUntil(
      'failed reopen attempts',
      (t) => (value(t, 'card10_errors_total', { kind: 'open' }) ?? 0) > 0,
    );
    expect(await exporter.landing()).toContain('no such device');
    await plugIn();
    board.behaviour.values = { ...DEFAULT_VALUES, temperature: 21.75 };
    const back = await scrapeUntil(
      'a reading after replug',
      (t) => value(t, 'card10_bme680_temperature_celsius') === 21.75,
    );
    expect(value(back, 'card10_up')).toBe(1);
    expect(board.programs.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!socat)('without a badge', () => {
  const tmp = tempDir('card10-e2e-');

  afterAll(() => tmp.cleanup());

  it('serves /metrics with card10_up 0 and says why on the landing page', async () => {
    const exporter = await startExporterProcess([
      `--serial.device=${join(tmp.path, 'missing')}`,
      '--serial.reconnect-max-delay=1s',
    ]);
    try {
      const text = await eventually(async () => {
        const t = await exporter.metrics();
        return (value(t, 'card10_errors_total', { kind: 'open' }) ?? 0) > 0 ? t : undefined;
      }, 'an open error');
      expect(value(text, 'card10_up')).toBe(0);
      expect(value(text, 'card10_bme680_temperature_celsius')).toBeUndefined();
      expect(await exporter.landing()).toMatch(/missing: no such device \(is the card10 plugged in/);
    } finally {
      await exporter.stop();
    }
  });

  it('says the port is busy while another program holds it', async () => {
    const pty = await openPtyPair(socat!);
    const holder = new SerialPort({ path: pty.host, baudRate: 115200 });
    await new Promise((resolve) => holder.once('open', resolve));
    const exporter = await startExporterProcess([
      `--serial.device=${pty.host}`,
      '--serial.reconnect-max-delay=1s',
    ]);
    try {
      await eventually(
        async () => ((await exporter.landing()).includes('busy (another program') ? true : undefined),
        'busy',
      );
      const text = await exporter.metrics();
      expect(value(text, 'card10_up')).toBe(0);
      expect(value(text, 'card10_errors_total', { kind: 'open' })).toBeGreaterThan(0);
    } finally {
      await exporter.stop();
      await new Promise((resolve) => holder.close(resolve));
      await pty.kill();
    }
  });

  it('rejects a bad flag with one line and exit code 2', () => {
    const r = spawnSync(process.execPath, [MAIN, '--poll.interval=0s'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'card10-bme680-exporter: error: --poll.interval: must be longer than 0s (e.g. 10s)',
    ]);
  });
});

describe.skipIf(!socat)('the read command', () => {
  let pty: PtyPair;
  let board: FakeCard10;

  beforeAll(async () => {
    pty = await openPtyPair(socat!);
    board = await FakeCard10.open(pty.board, { bsec: false });
  });
  afterAll(async () => {
    await board?.close();
    await pty?.kill();
  });

  it('prints one reading as JSON in base units', async () => {
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [MAIN, 'read', `--serial.device=${pty.host}`]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      device: pty.host,
      temperatureCelsius: 23.45,
      humidityRatio: 0.415,
      pressurePascals: 101325,
      gasResistanceOhms: 152034.5,
    });
  });
});
