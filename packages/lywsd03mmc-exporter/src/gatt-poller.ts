import { type Clock, counter, type Logger, type MetricFamily } from '@motley/exporter-kit';
import { decodeGattStock, STOCK_DATA_CHARACTERISTIC_UUID, STOCK_SERVICE_UUID } from './decode-gatt.js';
import { normalizeMac } from './mac.js';
import type { NobleCharacteristic, NoblePeripheral } from './noble-types.js';
import type { SensorStore } from './sensor-store.js';

export type PollResult = 'ok' | 'not_seen' | 'timeout' | 'error';
const RESULTS: PollResult[] = ['ok', 'not_seen', 'timeout', 'error'];

export interface GattPollerOptions {
  /** MACs to poll, uppercase without colons. */
  macs: string[];
  store: SensorStore;
  clock: Clock;
  log: Logger;
  intervalMs: number;
  /** Per step: connect, discover, read. */
  timeoutMs: number;
  /** Upper bound for the retry delay of a sensor that keeps failing. */
  maxBackoffMs: number;
  /** Only poll while this says the adapter works. */
  ready(): boolean;
}

class StepTimeout extends Error {}

/** A sensor not heard yet (or an adapter not up yet) is retried soon, not after a full interval. */
const NOT_SEEN_RETRY_MS = 10_000;

/** Runs one callback-style step with a deadline; `onTimeout` cancels what is pending. */
function step<T>(
  what: string,
  ms: number,
  run: (done: (err: unknown, value?: T) => void) => void,
  onTimeout?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      try {
        onTimeout?.();
      } catch {}
      reject(new StepTimeout(`${what} timed out after ${ms} ms`));
    }, ms);
    run((err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err instanceof Error ? err : new Error(`${what}: ${String(err)}`));
      else resolve(value as T);
    });
  });
}

/**
 * The stock firmware answers reads of its data characteristic and also notifies it about every
 * 6 s once subscribed; ask both ways and take whichever value comes first.
 */
function readValue(characteristic: NobleCharacteristic, ms: number): Promise<Buffer> {
  let onData: ((value: Buffer) => void) | undefined;
  return step<Buffer>(
    'read',
    ms,
    (done) => {
      onData = (value: Buffer) => done(null, value);
      characteristic.once('data', onData);
      characteristic.subscribe();
      characteristic.read();
    },
    () => onData && characteristic.removeListener('data', onData),
  );
}

interface Schedule {
  mac: string;
  due: number;
  failures: number;
}

/**
 * Polls stock-firmware sensors over GATT, one connection at a time (adapters handle one
 * connection attempt at a time): connect, find the data characteristic, read (or wait for its
 * notification), disconnect.
 * A sensor that fails is retried with exponential backoff up to maxBackoffMs.
 */
export class GattPoller {
  private readonly peripherals = new Map<string, NoblePeripheral>();
  private readonly schedule: Schedule[];
  private readonly results = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: GattPollerOptions) {
    const now = opts.clock.now();
    this.schedule = opts.macs.map((mac) => ({ mac, due: now, failures: 0 }));
  }

  /** Whether there is anything to poll. */
  get active(): boolean {
    return this.schedule.length > 0;
  }

  /** Remembers the peripheral of a polled MAC when the scanner sees it advertise. */
  notePeripheral(peripheral: NoblePeripheral): void {
    const mac = normalizeMac(peripheral.address ?? '');
    if (mac && this.schedule.some((s) => s.mac === mac)) this.peripherals.set(mac, peripheral);
  }

  start(): void {
    if (this.schedule.length === 0) return;
    this.running = true;
    this.planNext();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy.catch(() => {});
  }

  /** Delay before the next attempt after `failures` consecutive failures. */
  backoff(failures: number): number {
    if (failures === 0) return this.opts.intervalMs;
    return Math.min(this.opts.intervalMs * 2 ** (failures - 1), this.opts.maxBackoffMs);
  }

  async pollOnce(mac: string): Promise<PollResult> {
    const result = await this.poll(mac);
    this.results.set(`${mac}/${result}`, (this.results.get(`${mac}/${result}`) ?? 0) + 1);
    return result;
  }

  families(): MetricFamily[] {
    const samples = this.schedule.flatMap((s) =>
      RESULTS.map((result) => ({
        labels: { mac: s.mac, result },
        value: this.results.get(`${s.mac}/${result}`) ?? 0,
      })),
    );
    return [
      counter(
        'thermometer_gatt_polls_total',
        'GATT polls of stock-firmware sensors, per sensor and result.',
        samples,
      ),
    ];
  }

  private planNext(): void {
    if (!this.running) return;
    const next = this.schedule.reduce((a, b) => (b.due < a.due ? b : a));
    const wait = Math.max(0, next.due - this.opts.clock.now());
    this.timer = setTimeout(() => {
      this.busy = this.runOne(next).finally(() => this.planNext());
    }, wait);
    this.timer.unref?.();
  }

  private async runOne(s: Schedule): Promise<void> {
    if (!this.running) return;
    const soon = Math.min(this.opts.intervalMs, NOT_SEEN_RETRY_MS);
    if (!this.opts.ready()) {
      s.due = this.opts.clock.now() + soon;
      return;
    }
    const result = await this.pollOnce(s.mac);
    if (result === 'not_seen') {
      s.due = this.opts.clock.now() + soon;
      return;
    }
    s.failures = result === 'ok' ? 0 : s.failures + 1;
    s.due = this.opts.clock.now() + this.backoff(s.failures);
  }

  private async poll(mac: string): Promise<PollResult> {
    const p = this.peripherals.get(mac);
    if (!p) {
      this.opts.log.debug('sensor to poll not seen advertising yet', { mac });
      return 'not_seen';
    }
    const ms = this.opts.timeoutMs;
    try {
      await step<void>(
        'connect',
        ms,
        (done) => p.connect((err) => done(err)),
        () => p.cancelConnect(),
      );
      const characteristics = await step<NobleCharacteristic[]>('discover', ms, (done) =>
        p.discoverSomeServicesAndCharacteristics(
          [STOCK_SERVICE_UUID],
          [STOCK_DATA_CHARACTERISTIC_UUID],
          (err, _s, c) => done(err, c ?? []),
        ),
      );
      const data = characteristics.find((c) => c.uuid === STOCK_DATA_CHARACTERISTIC_UUID);
      if (!data)
        throw new Error('no stock data characteristic (custom firmware sends adverts; no need to poll it)');
      const value = await readValue(data, ms);
      const decoded = decodeGattStock(value);
      this.opts.store.record(mac, decoded, { rssi: p.rssi });
      return 'ok';
    } catch (e) {
      const timeout = e instanceof StepTimeout;
      this.opts.log.warn('GATT poll failed', { mac, err: (e as Error).message });
      return timeout ? 'timeout' : 'error';
    } finally {
      if (p.state === 'connected') {
        try {
          p.disconnect();
        } catch {}
      }
    }
  }
}
