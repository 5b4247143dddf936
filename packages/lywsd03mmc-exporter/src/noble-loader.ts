import { createRequire } from 'node:module';
import type { Noble } from './noble-types.js';

/**
 * Loads the real noble with its HCI socket bindings. Deliberately lazy: noble opens a Bluetooth
 * socket while being required and throws on kernels without Bluetooth, which must not stop the
 * exporter from serving /metrics.
 */
export function loadSystemNoble(adapter: number): Noble {
  const require = createRequire(import.meta.url);
  const withCustomBinding = require('@abandonware/noble/with-custom-binding') as (opts: {
    deviceId: number;
  }) => Noble;
  return withCustomBinding({ deviceId: adapter });
}

/** Turns a loading error into a sentence that tells the user what to do. */
export function explainBluetoothError(err: unknown, adapter: number): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EAFNOSUPPORT':
      return 'this kernel has no Bluetooth support (EAFNOSUPPORT); run on a host with a Bluetooth adapter';
    case 'ENODEV':
      return `no Bluetooth adapter hci${adapter} (ENODEV); check hciconfig or pick another --bluetooth.adapter`;
    case 'EPERM':
    case 'EACCES':
      return `permission denied opening hci${adapter} (${e.code}); run as root or give node cap_net_raw,cap_net_admin (see README)`;
    case 'MODULE_NOT_FOUND':
      return 'the noble Bluetooth library is not installed (reinstall the package with its native dependencies)';
    default:
      return `Bluetooth unavailable: ${e?.message ?? String(err)}`.replace(/\s*\n\s*/g, ' ');
  }
}

/**
 * noble reports a failed adapter initialisation only as a warning message
 * ("Initialization of USB device failed: ENODEV, No such device"); make it actionable.
 */
export function explainInitWarning(message: string, adapter: number): string | undefined {
  if (!/^Initialization/i.test(message)) return undefined;
  const code = /\b(E[A-Z]+)\b/.exec(message)?.[1];
  if (code) return explainBluetoothError(Object.assign(new Error(message), { code }), adapter);
  return `cannot initialise adapter hci${adapter}: ${message}`;
}

/** Why a noble adapter state means no data. */
export function explainAdapterState(state: string, adapter: number): string {
  switch (state) {
    case 'poweredOff':
      return `adapter hci${adapter} is powered off; run "rfkill unblock bluetooth" and "hciconfig hci${adapter} up"`;
    case 'unauthorized':
      return `not allowed to use hci${adapter}; run as root or give node cap_net_raw,cap_net_admin (see README)`;
    case 'unsupported':
      return `adapter hci${adapter} does not support Bluetooth Low Energy`;
    case 'resetting':
      return `adapter hci${adapter} is resetting`;
    default:
      return `adapter hci${adapter} is in state "${state}"`;
  }
}
