import { isAbsolute, resolve } from 'node:path';
import { isValidLabelName, type Label } from '../model/labels.js';
import {
  compileRelabel,
  RelabelConfigError,
  type RelabelRule,
  type RelabelSpec,
} from '../model/relabel/relabel.js';
import type { YamlValue } from './yaml-value.js';

/** A `labels:` mapping: valid label names, string values. */
export function parseLabelMap(v: YamlValue | undefined): Label[] {
  const out: Label[] = [];
  for (const [name, value] of v?.entries() ?? []) {
    if (!isValidLabelName(name)) value.fail(`"${name}" is not a valid label name`);
    out.push({ name, value: value.string() });
  }
  return out;
}

const RELABEL_KEYS = [
  'source_labels',
  'separator',
  'regex',
  'modulus',
  'target_label',
  'replacement',
  'action',
];

export function parseRelabelConfigs(v: YamlValue | undefined): RelabelRule[] {
  return (v?.list() ?? []).map((item) => {
    const m = item.map(RELABEL_KEYS);
    const spec: RelabelSpec = {
      source_labels: m.get('source_labels')?.stringList(),
      separator: m.get('separator')?.string(),
      regex: m.get('regex')?.string(),
      modulus: m.get('modulus')?.integer(),
      target_label: m.get('target_label')?.string(),
      replacement: m.get('replacement')?.string(),
      action: m.get('action')?.string(),
    };
    try {
      return compileRelabel(spec);
    } catch (e) {
      if (e instanceof RelabelConfigError) (m.get(e.key) ?? item).fail(e.message);
      throw e;
    }
  });
}

/** Resolves a path from the config against the config file's directory. */
export function resolvePath(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}
