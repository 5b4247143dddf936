import { type ParsedFlags, UsageError } from '@motley/exporter-kit';
import { parseConfigFile, parseKeyfile, readSettingsFile } from './config-file.js';
import { normalizeMac } from './mac.js';
import { SensorDirectory } from './sensor-directory.js';

/**
 * Per-sensor settings from the keyfile (-k), then the config file (its values win), then MACs
 * given as arguments (polled over GATT, as with the Go exporter).
 */
export function loadSensorDirectory(flags: ParsedFlags): SensorDirectory {
  const directory = new SensorDirectory();
  const keysFile = flags.optionalString('keys.file');
  if (keysFile) for (const s of readSettingsFile(keysFile, parseKeyfile)) directory.merge(s);
  const configFile = flags.optionalString('config.file');
  if (configFile) for (const s of readSettingsFile(configFile, parseConfigFile)) directory.merge(s);
  for (const arg of flags.positional) {
    const mac = normalizeMac(arg);
    if (!mac) throw new UsageError(`"${arg}" is not a MAC address to poll (e.g. A4:C1:38:12:34:56)`);
    directory.merge({ mac, poll: true });
  }
  return directory;
}
