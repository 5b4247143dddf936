import { parseStaticGroup } from '../config/scrape-config.js';
import type { TargetGroup } from '../config/types.js';
import { YamlValue } from '../config/yaml-value.js';

/** The label that file_sd adds to every target: the file it came from. */
export const META_FILEPATH = '__meta_filepath';

/**
 * Parses one file_sd file (JSON or YAML: a list of {targets, labels}) into target groups that
 * carry `__meta_filepath`. Throws ConfigError with file:line.
 */
export function parseFileSdContent(text: string, path: string): TargetGroup[] {
  const root = YamlValue.parse(text, path);
  return root.list().map((item, i) => {
    const g = parseStaticGroup(item, `${path}:${i}`);
    return { ...g, labels: { ...g.labels, [META_FILEPATH]: path } };
  });
}
