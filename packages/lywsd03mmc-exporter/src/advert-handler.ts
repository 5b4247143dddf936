import type { Logger } from '@motley/exporter-kit';
import { decodeServiceData, KNOWN_SERVICE_UUIDS, shortUuid } from './decode-service-data.js';
import { normalizeMac } from './mac.js';
import type { NobleServiceData } from './noble-types.js';
import { DecodeError } from './reading.js';
import type { SensorDirectory } from './sensor-directory.js';
import type { SensorStore } from './sensor-store.js';

/**
 * Turns adverts (sender address, service data, RSSI) into stored readings. Service data of other
 * UUIDs is ignored; decoding failures are counted per reason and logged only at debug level,
 * since a busy neighbourhood would otherwise flood the log.
 */
export class AdvertHandler {
  /** noble's "a4:c1:38:12:34:56" -> "A4C138123456"; every advert needs it. */
  private readonly macs = new Map<string, string | undefined>();

  constructor(private readonly deps: { store: SensorStore; directory: SensorDirectory; log: Logger }) {}

  handle(
    address: string,
    serviceData: readonly NobleServiceData[] | undefined,
    rssi: number | undefined,
  ): void {
    if (!serviceData || serviceData.length === 0) return;
    const mac = this.macOf(address);
    if (!mac) return;
    const { store, directory, log } = this.deps;
    for (const entry of serviceData) {
      const uuid = shortUuid(entry.uuid);
      if (!KNOWN_SERVICE_UUIDS.includes(uuid)) continue;
      const repeat = store.repeated(mac, uuid, entry.data);
      if (repeat) {
        store.record(repeat.mac ?? mac, repeat, { rssi, repeat: true });
        continue;
      }
      try {
        const decoded = decodeServiceData(uuid, entry.data, { mac, bindkeyFor: directory.bindkeyFor });
        store.record(decoded.mac ?? mac, decoded, { rssi, uuid, payload: entry.data });
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        store.recordError(e.reason);
        log.debug('cannot decode advert', { mac, uuid, reason: e.reason, err: e.message });
      }
    }
  }

  private macOf(address: string): string | undefined {
    if (this.macs.has(address)) return this.macs.get(address);
    const mac = normalizeMac(address);
    if (this.macs.size >= 4096) this.macs.clear();
    this.macs.set(address, mac);
    return mac;
  }
}
