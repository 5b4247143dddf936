import { normalizeMac } from './mac.js';

export interface SensorSettings {
  /** Uppercase MAC without colons. */
  mac: string;
  /** Friendly name, added as the `name` label. */
  name?: string;
  /** 16-byte AES key for MiBeacon v4/v5 or encrypted BTHome adverts. */
  bindkey?: Buffer;
  /** Poll this sensor over GATT (stock firmware). */
  poll?: boolean;
}

/** Per-sensor settings from the config file, the keyfile and the command line, keyed by MAC. */
export class SensorDirectory {
  private readonly byMac = new Map<string, SensorSettings>();

  /** Adds or merges settings; later values win field by field. */
  merge(settings: SensorSettings): void {
    const old = this.byMac.get(settings.mac) ?? { mac: settings.mac };
    this.byMac.set(settings.mac, {
      mac: settings.mac,
      name: settings.name ?? old.name,
      bindkey: settings.bindkey ?? old.bindkey,
      poll: settings.poll ?? old.poll,
    });
  }

  get(mac: string): SensorSettings | undefined {
    // Fast path for MACs already normalised (every advert); normalise anything else.
    const exact = this.byMac.get(mac);
    if (exact) return exact;
    const key = normalizeMac(mac);
    return key && key !== mac ? this.byMac.get(key) : undefined;
  }

  /** Bindkeys match whatever the case or separators of the MAC. */
  bindkeyFor = (mac: string): Buffer | undefined => this.get(mac)?.bindkey;

  nameFor(mac: string): string | undefined {
    return this.get(mac)?.name;
  }

  /** MACs to poll over GATT, in the order they were given. */
  polled(): string[] {
    return [...this.byMac.values()].filter((s) => s.poll).map((s) => s.mac);
  }
}
