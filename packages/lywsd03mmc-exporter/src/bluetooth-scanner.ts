import { gauge, type Logger, type MetricFamily } from '@motley/exporter-kit';
import { explainAdapterState, explainBluetoothError, explainInitWarning } from './noble-loader.js';
import type { Noble, NobleLoader, NoblePeripheral } from './noble-types.js';

export interface BluetoothScannerOptions {
  loader: NobleLoader;
  adapter: number;
  /** How long to wait before trying to load noble again after it failed. */
  retryMs: number;
  log: Logger;
  onPeripheral(peripheral: NoblePeripheral): void;
}

/**
 * Owns noble: loads it lazily, retries while the host has no usable Bluetooth, scans with
 * duplicates allowed while the adapter is powered on, and says why there is no data otherwise.
 */
export class BluetoothScanner {
  private noble: Noble | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private state = 'loading';
  private reason = 'starting Bluetooth';
  private scanning = false;
  private readonly listeners: [string, (...args: unknown[]) => void][] = [];

  constructor(private readonly opts: BluetoothScannerOptions) {}

  start(): void {
    this.stopped = false;
    this.tryLoad();
  }

  get up(): boolean {
    return this.scanning;
  }

  status(): string[] {
    if (this.scanning) return [`Bluetooth: scanning on hci${this.opts.adapter}`];
    return [`Bluetooth unavailable, no sensor data: ${this.reason}`];
  }

  families(): MetricFamily[] {
    return [
      gauge(
        'thermometer_bluetooth_up',
        'Whether the Bluetooth adapter is scanning (1) or unavailable (0, reason on the landing page).',
        [{ labels: { adapter: `hci${this.opts.adapter}` }, value: this.scanning ? 1 : 0 }],
      ),
    ];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const noble = this.noble;
    if (!noble) return;
    if (this.scanning) {
      try {
        noble.stopScanning();
      } catch {}
    }
    for (const [event, fn] of this.listeners) noble.removeListener(event, fn);
    this.listeners.length = 0;
    this.scanning = false;
  }

  private tryLoad(): void {
    if (this.stopped) return;
    try {
      this.noble = this.opts.loader(this.opts.adapter);
    } catch (e) {
      const reason = explainBluetoothError(e, this.opts.adapter);
      // Say it once per distinct reason; retries every few seconds would flood the log.
      const fields = { reason, retry_in_s: this.opts.retryMs / 1000 };
      if (reason === this.reason) this.opts.log.debug('Bluetooth unavailable, retrying', fields);
      else this.opts.log.warn('Bluetooth unavailable, retrying', fields);
      this.reason = reason;
      this.state = 'unavailable';
      this.retryTimer = setTimeout(() => this.tryLoad(), this.opts.retryMs);
      this.retryTimer.unref?.();
      return;
    }
    this.reason = `waiting for adapter hci${this.opts.adapter} to power on`;
    this.listen('stateChange', (state: string) => this.onState(state));
    this.listen('discover', (p: NoblePeripheral) => this.opts.onPeripheral(p));
    this.listen('warning', (message: string) => {
      const failure = explainInitWarning(message, this.opts.adapter);
      if (failure) {
        this.reason = failure;
        this.opts.log.warn('Bluetooth adapter unavailable', { reason: failure });
      } else {
        this.opts.log.debug('noble warning', { message });
      }
    });
    this.listen('scanStop', () => {
      // Something else (or the adapter) stopped the scan; start again while powered on.
      if (this.scanning && !this.stopped && this.state === 'poweredOn') this.startScan();
    });
  }

  private listen<A extends unknown[]>(event: string, fn: (...args: A) => void): void {
    const untyped = fn as unknown as (...args: unknown[]) => void;
    this.noble?.on(event, untyped);
    this.listeners.push([event, untyped]);
  }

  private onState(state: string): void {
    this.state = state;
    if (state === 'poweredOn') {
      this.startScan();
      return;
    }
    this.scanning = false;
    this.reason = explainAdapterState(state, this.opts.adapter);
    this.opts.log.warn('Bluetooth adapter not available', { state, reason: this.reason });
  }

  private startScan(): void {
    const noble = this.noble;
    if (!noble || this.stopped) return;
    noble.startScanning([], true, (err) => {
      if (err) {
        this.scanning = false;
        this.reason = `cannot start scanning: ${err.message}`;
        this.opts.log.warn('cannot start scanning', { err: err.message });
        return;
      }
      if (!this.scanning)
        this.opts.log.info('scanning for thermometers', { adapter: `hci${this.opts.adapter}` });
      this.scanning = true;
    });
  }
}
