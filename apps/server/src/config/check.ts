import { readFileSync } from 'node:fs';
import { silentLogger } from '@motley/exporter-kit';
import { FileDiscovery } from '../discovery/file-sd.js';
import { parseFileSdContent } from '../discovery/file-sd-parse.js';
import { loadConfigFile } from './load.js';

/**
 * `motley --config.file=F --check`: validates the configuration and every file_sd file it
 * currently matches. Returns the lines to print and whether everything is valid.
 */
export function checkConfig(path: string): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  try {
    const config = loadConfigFile(path);
    let ok = true;
    let files = 0;
    for (const sc of config.scrapeConfigs) {
      for (const fsd of sc.fileSdConfigs) {
        for (const file of new FileDiscovery(fsd, silentLogger, () => {}).listFiles()) {
          files++;
          try {
            parseFileSdContent(readFileSync(file, 'utf8'), file);
          } catch (e) {
            ok = false;
            lines.push((e as Error).message);
          }
        }
      }
    }
    if (ok) lines.push(`${path}: OK (${config.scrapeConfigs.length} scrape configs, ${files} file_sd files)`);
    return { ok, lines };
  } catch (e) {
    lines.push((e as Error).message);
    return { ok: false, lines };
  }
}
