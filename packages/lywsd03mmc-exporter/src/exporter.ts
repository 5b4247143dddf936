import { createRequire } from 'node:module';
import { type ExporterDefinition, UsageError } from '@motley/exporter-kit';
import { parseAdapter } from './adapter-flag.js';
import { AdvertHandler } from './advert-handler.js';
import { BluetoothScanner } from './bluetooth-scanner.js';
import { runDecodeCommand } from './decode-command.js';
import { GattPoller } from './gatt-poller.js';
import { loadSystemNoble } from './noble-loader.js';
import type { NobleLoader, NoblePeripheral } from './noble-types.js';
import { sensorFamilies } from './sensor-metrics.js';
import { loadSensorDirectory } from './sensor-settings.js';
import { SensorStore } from './sensor-store.js';
import { statusLines } from './status-lines.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface DefinitionOptions {
  /** How noble is created; tests pass noble with fake bindings. */
  loadNoble?: NobleLoader;
}

/** The exporter; `createDefinition({ loadNoble })` lets tests drive noble with fake bindings. */
export function createDefinition(options: DefinitionOptions = {}): ExporterDefinition {
  return {
    name: 'lywsd03mmc-exporter',
    namespace: 'thermometer',
    version,
    description:
      'Prometheus exporter for Xiaomi LYWSD03MMC thermometers: BTHome v2, atc1441, pvvx, MiBeacon (with bindkeys) adverts and stock-firmware GATT polling.',
    defaultListenAddress: ':9265',
    shortFlags: { l: 'web.listen-address' },
    usage: '[<flags>] [MAC to poll over GATT...] | decode [--bindkey HEX] [--mac MAC] SERVICE_UUID HEX',
    collectorTimeoutMs: 5_000,
    commands: { decode: (argv) => runDecodeCommand(argv) },
    flags: [
      {
        name: 'config.file',
        kind: 'string',
        placeholder: 'FILE',
        help: 'YAML file with sensors: mac, name, bindkey, poll',
      },
      {
        name: 'keys.file',
        kind: 'string',
        short: 'k',
        placeholder: 'FILE',
        help: 'Bindkey file of "MAC KEY" lines (the Go exporter\'s -k format)',
      },
      {
        name: 'bluetooth.adapter',
        kind: 'string',
        short: 'i',
        default: 'hci0',
        placeholder: 'hciN',
        help: 'Bluetooth adapter to scan with (-i N as in the Go exporter)',
      },
      {
        name: 'bluetooth.retry-interval',
        kind: 'duration',
        default: '30s',
        help: 'How often to retry when Bluetooth is unavailable',
      },
      {
        name: 'expiry.atc1441',
        kind: 'duration',
        default: '25s',
        help: 'Drop atc1441 readings not refreshed for this long',
      },
      {
        name: 'expiry.pvvx',
        kind: 'duration',
        default: '25s',
        help: 'Drop pvvx custom-format readings not refreshed for this long',
      },
      {
        name: 'expiry.bthome',
        kind: 'duration',
        default: '25s',
        help: 'Drop BTHome readings not refreshed for this long',
      },
      {
        name: 'expiry.mibeacon',
        kind: 'duration',
        default: '25m',
        help: 'Drop MiBeacon readings not refreshed for this long (stock firmware sends every 10 min)',
      },
      {
        name: 'expiry.gatt',
        kind: 'duration',
        default: '0',
        help: 'Drop GATT readings not refreshed for this long (0: 2.5 x --gatt.poll-interval)',
      },
      {
        name: 'gatt.poll-interval',
        kind: 'duration',
        default: '5m',
        help: 'How often each polled sensor is read over GATT',
      },
      {
        name: 'gatt.timeout',
        kind: 'duration',
        default: '20s',
        help: 'Timeout of each GATT step (connect, discover, read)',
      },
      {
        name: 'gatt.max-backoff',
        kind: 'duration',
        default: '1h',
        help: 'Longest wait before retrying a sensor that keeps failing',
      },
    ],
    setup: ({ flags, log, clock }) => {
      const directory = loadSensorDirectory(flags);
      const adapter = parseAdapter(flags.string('bluetooth.adapter'));
      const positive = (name: string) => {
        const ms = flags.duration(name);
        if (ms <= 0) throw new UsageError(`--${name} must be longer than 0 (e.g. 30s)`);
        return ms;
      };
      const pollInterval = positive('gatt.poll-interval');
      const store = new SensorStore(clock, {
        atc1441: positive('expiry.atc1441'),
        pvvx: positive('expiry.pvvx'),
        bthome: positive('expiry.bthome'),
        mibeacon: positive('expiry.mibeacon'),
        gatt: flags.duration('expiry.gatt') || Math.round(pollInterval * 2.5),
      });
      const adverts = new AdvertHandler({ store, directory, log });
      let scanner: BluetoothScanner | undefined;
      const poller = new GattPoller({
        macs: directory.polled(),
        store,
        clock,
        log,
        intervalMs: pollInterval,
        timeoutMs: positive('gatt.timeout'),
        maxBackoffMs: positive('gatt.max-backoff'),
        ready: () => scanner?.up === true,
      });
      scanner = new BluetoothScanner({
        loader: options.loadNoble ?? loadSystemNoble,
        adapter,
        retryMs: positive('bluetooth.retry-interval'),
        log,
        onPeripheral: (p: NoblePeripheral) => {
          if (poller.active) poller.notePeripheral(p);
          adverts.handle(p.address ?? '', p.advertisement?.serviceData, p.rssi);
        },
      });
      scanner.start();
      poller.start();
      const running = scanner;
      return {
        collectors: [
          { name: 'sensors', collect: () => sensorFamilies(store, directory) },
          { name: 'bluetooth', collect: () => [...running.families(), ...poller.families()] },
        ],
        status: () => statusLines(running.status(), store.liveSensors(), directory, clock.now()),
        stop: async () => {
          running.stop();
          await poller.stop();
        },
      };
    },
  };
}

export const definition = createDefinition();
