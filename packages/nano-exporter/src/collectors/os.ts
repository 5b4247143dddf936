import { readFileSync, statSync } from 'node:fs';
import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { rootPath } from '../host-paths.js';
import type { NodeCollectorSpec } from '../node-collector.js';

const INFO_LABELS = [
  'build_id',
  'id',
  'id_like',
  'image_id',
  'image_version',
  'name',
  'pretty_name',
  'variant',
  'variant_id',
  'version',
  'version_codename',
  'version_id',
] as const;

/** os-release(5): KEY=value lines, values optionally in single or double quotes with \ escapes. */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1);
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(.)/g, '$1');
    }
    out.set(line.slice(0, eq), value);
  }
  return out;
}

export function osFamilies(release: Map<string, string>): MetricFamily[] {
  const labels: Record<string, string> = {};
  for (const l of INFO_LABELS) labels[l] = release.get(l.toUpperCase()) ?? '';
  const out = [
    gauge('node_os_info', `A metric with a constant '1' value labeled by ${INFO_LABELS.join(', ')}.`, [
      { labels, value: 1 },
    ]),
  ];
  // node_exporter reports the major.minor part of VERSION_ID as a number.
  const majorMinor = /^[0-9]+\.?[0-9]*/.exec(release.get('VERSION_ID') ?? '');
  if (majorMinor) {
    out.push(
      gauge('node_os_version', 'Metric containing the major.minor part of the OS version.', [
        {
          labels: { id: labels.id, id_like: labels.id_like, name: labels.name },
          value: Number(majorMinor[0]),
        },
      ]),
    );
  }
  return out;
}

export const osCollector: NodeCollectorSpec = {
  name: 'os',
  defaultEnabled: true,
  help: 'distribution name and version from /etc/os-release (node_os_info, node_os_version)',
  create: ({ paths }) => {
    const candidates = [rootPath(paths, '/etc/os-release'), rootPath(paths, '/usr/lib/os-release')];
    // A regular file, replaced on upgrades: re-read only when its modification time changes.
    let cached: { path: string; mtimeMs: number; families: MetricFamily[] } | undefined;
    return {
      name: 'os',
      collect: () => {
        for (const path of candidates) {
          let mtimeMs: number;
          try {
            mtimeMs = statSync(path).mtimeMs;
          } catch {
            continue;
          }
          if (cached?.path !== path || cached.mtimeMs !== mtimeMs) {
            cached = { path, mtimeMs, families: osFamilies(parseOsRelease(readFileSync(path, 'utf8'))) };
          }
          return cached.families;
        }
        throw new Error(`no os-release file: neither ${candidates.join(' nor ')} exists`);
      },
    };
  },
};
