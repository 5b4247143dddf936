import type { Logger } from '@motley/exporter-kit';
import { decodeServiceData, KNOWN_SERVICE_UUIDS, shortUuid } from './decode-service-data.js';
import { normalizeMac } from './mac.js';
import type { NobleServiceData } from './noble-types.js';
import { DecodeError } from './reading.js';
import type { SensorDirectory } from './sensor-directory.js';
import type { SensorStore } from './sensor-store.js';

/**
 * Turns one advert (sender address, service data, RSSI) into stored readings. Service data of
 * other UUIDs is ignored; decoding failures are counted per reason and logged only at debug
 * level, since a busy neighbourhood would otherwise flood the log.
 */
export function handleAdvert(
  deps: { store: SensorStore; directory: SensorDirectory; log: Logger },
  address: string,
  serviceData: readonly NobleServiceData[] | undefined,
  rssi: number | undefined,
): void {
  if (!serviceData || serviceData.length === 0) return;
  const mac = normalizeMac(address);
  if (!mac) return;
  for (const entry of serviceData) {
    const uuid = shortUuid(entry.uuid);
    if (!KNOWN_SERVICE_UUIDS.includes(uuid)) continue;
    const repeat = deps.store.repeated(mac, uuid, entry.data);
    if (repeat) {
      deps.store.record(repeat.mac ?? mac, repeat, { rssi, repeat: true });
      continue;
    }
    try {
      const decoded = decodeServiceData(uuid, entry.data, { mac, bindkeyFor: deps.directory.bindkeyFor });
      deps.store.record(decoded.mac ?? mac, decoded, { rssi, uuid, payload: entry.data });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      deps.store.recordError(e.reason);
      deps.log.debug('cannot decode advert', { mac, uuid, reason: e.reason, err: e.message });
    }
  }
}
