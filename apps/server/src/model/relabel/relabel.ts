import { createHash } from 'node:crypto';
import { isValidLabelName, type Label, type Labels, sortLabels } from '../labels.js';
import { expandTemplate } from './expand.js';
import { compileRe2Anchored } from './re2.js';

export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** One relabel_configs entry as written in prometheus.yml (after YAML decoding). */
export interface RelabelSpec {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
  action?: string;
}

/** A validated, compiled rule. */
export interface RelabelRule {
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RegExp;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
}

export class RelabelConfigError extends Error {
  override name = 'RelabelConfigError';
  /** The YAML key the error is about, for file:line reporting. */
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_REGEX = '(.*)';
const DEFAULT_SEPARATOR = ';';
const DEFAULT_REPLACEMENT = '$1';
/** Prometheus' relabelTarget: a label name possibly built from `$1` / `${name}` references. */
const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

/** Validates a rule exactly as Prometheus 2.42 does and compiles its regex. */
export function compileRelabel(spec: RelabelSpec): RelabelRule {
  const action = (spec.action ?? 'replace').toLowerCase() as RelabelAction;
  if (!RELABEL_ACTIONS.includes(action)) {
    throw new RelabelConfigError(
      'action',
      `unknown relabel action "${spec.action}" (want one of ${RELABEL_ACTIONS.join(', ')})`,
    );
  }
  const sourceLabels = spec.source_labels ?? [];
  for (const name of sourceLabels) {
    if (!isValidLabelName(name))
      throw new RelabelConfigError('source_labels', `"${name}" is not a valid label name`);
  }
  const separator = spec.separator ?? DEFAULT_SEPARATOR;
  const regexSource = spec.regex ?? DEFAULT_REGEX;
  let regex: RegExp;
  try {
    regex = compileRe2Anchored(regexSource);
  } catch (e) {
    throw new RelabelConfigError('regex', `invalid regex "${regexSource}": ${(e as Error).message}`);
  }
  const modulus = spec.modulus ?? 0;
  const targetLabel = spec.target_label ?? '';
  const replacement = spec.replacement ?? DEFAULT_REPLACEMENT;
  const err = (key: string, msg: string): never => {
    throw new RelabelConfigError(key, msg);
  };

  if (action === 'hashmod' && modulus === 0)
    err('modulus', 'relabel configuration for hashmod requires non-zero modulus');
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (needsTarget.includes(action) && targetLabel === '') {
    err('target_label', `relabel configuration for ${action} action requires 'target_label' value`);
  }
  const strictTarget = ['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if ((action === 'replace' || strictTarget) && !RELABEL_TARGET.test(targetLabel)) {
    err('target_label', `"${targetLabel}" is invalid 'target_label' for ${action} action`);
  }
  if ((strictTarget || action === 'hashmod') && !isValidLabelName(targetLabel)) {
    err('target_label', `"${targetLabel}" is invalid 'target_label' for ${action} action`);
  }
  if ((action === 'lowercase' || action === 'uppercase') && replacement !== DEFAULT_REPLACEMENT) {
    err('replacement', `'replacement' can not be set for ${action} action`);
  }
  if (action === 'labelmap' && !RELABEL_TARGET.test(replacement)) {
    err('replacement', `"${replacement}" is invalid 'replacement' for ${action} action`);
  }
  if (
    (action === 'keepequal' || action === 'dropequal') &&
    (regexSource !== DEFAULT_REGEX ||
      modulus !== 0 ||
      separator !== DEFAULT_SEPARATOR ||
      replacement !== DEFAULT_REPLACEMENT)
  ) {
    err('action', `${action} action requires only 'source_labels' and 'target_label', and no other fields`);
  }
  if (
    (action === 'labeldrop' || action === 'labelkeep') &&
    (sourceLabels.length > 0 ||
      targetLabel !== '' ||
      modulus !== 0 ||
      separator !== DEFAULT_SEPARATOR ||
      replacement !== DEFAULT_REPLACEMENT)
  ) {
    err('action', `${action} action requires only 'regex', and no other fields`);
  }
  return { action, sourceLabels, separator, regex, modulus, targetLabel, replacement };
}

/**
 * Hashmod as Prometheus computes it: the md5 of the value, its last 8 bytes read as a big-endian
 * uint64 (Go's shifts past 63 bits drop the first 8), modulo the modulus.
 */
export function hashmod(value: string, modulus: number): bigint {
  const digest = createHash('md5').update(value, 'utf8').digest();
  return digest.readBigUInt64BE(8) % BigInt(modulus);
}

/**
 * Applies the rules in order. Returns the new label set (sorted), or undefined when a keep/drop
 * rule dropped it. Labels set to an empty value are removed.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[]): Label[] | undefined {
  const b = new Map<string, string>();
  for (const l of labels) b.set(l.name, l.value);
  for (const rule of rules) if (!applyRule(b, rule)) return undefined;
  const out: Label[] = [];
  for (const [name, value] of b) if (value !== '') out.push({ name, value });
  return sortLabels(out);
}

function set(b: Map<string, string>, name: string, value: string): void {
  if (value === '') b.delete(name);
  else b.set(name, value);
}

/** Applies one rule to the builder; false means the set is dropped. */
function applyRule(b: Map<string, string>, rule: RelabelRule): boolean {
  let val = '';
  for (let i = 0; i < rule.sourceLabels.length; i++) {
    if (i > 0) val += rule.separator;
    val += b.get(rule.sourceLabels[i]) ?? '';
  }
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(val);
    case 'keep':
      return rule.regex.test(val);
    case 'dropequal':
      return (b.get(rule.targetLabel) ?? '') !== val;
    case 'keepequal':
      return (b.get(rule.targetLabel) ?? '') === val;
    case 'replace': {
      const m = rule.regex.exec(val);
      if (!m) return true;
      const target = expandTemplate(rule.targetLabel, m);
      if (!isValidLabelName(target)) {
        b.delete(rule.targetLabel);
        return true;
      }
      const res = expandTemplate(rule.replacement, m);
      if (res === '') b.delete(rule.targetLabel);
      else b.set(target, res);
      return true;
    }
    case 'lowercase':
      set(b, rule.targetLabel, val.toLowerCase());
      return true;
    case 'uppercase':
      set(b, rule.targetLabel, val.toUpperCase());
      return true;
    case 'hashmod':
      set(b, rule.targetLabel, hashmod(val, rule.modulus).toString());
      return true;
    case 'labelmap': {
      for (const [name, value] of [...b]) {
        const m = rule.regex.exec(name);
        if (m) set(b, expandTemplate(rule.replacement, m), value);
      }
      return true;
    }
    case 'labeldrop':
      for (const name of [...b.keys()]) if (rule.regex.test(name)) b.delete(name);
      return true;
    case 'labelkeep':
      for (const name of [...b.keys()]) if (!rule.regex.test(name)) b.delete(name);
      return true;
  }
}
