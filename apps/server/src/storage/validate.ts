import { isValidLabelName, type Labels, METRIC_NAME } from '../model/labels.js';
import { StorageError } from './interface.js';

/** Timestamps beyond year 9999 (either side of 1970) are impossible; it also keeps |t| < 2^48 for the codec. */
export const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/** Rejects what no storage should accept: unnamed series, invalid or duplicate label names, impossible times. */
export function validateSample(labels: Labels, t: number): void {
  validateTimestamp(t);
  validateLabels(labels);
}

export function validateTimestamp(t: number): void {
  if (!Number.isSafeInteger(t))
    throw new StorageError(`invalid timestamp ${t}: must be integer milliseconds`);
  if (t > MAX_TIMESTAMP_MS || t < -MAX_TIMESTAMP_MS) {
    throw new StorageError(`impossible timestamp ${t}: beyond the year 9999`);
  }
}

export function validateLabels(labels: Labels): void {
  let hasName = false;
  let prev = '';
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i];
    if (name === METRIC_NAME) {
      hasName = value !== '';
    } else if (!isValidLabelName(name)) {
      throw new StorageError(`invalid label name "${name}"`);
    }
    if (i > 0 && name <= prev) throw new StorageError(`labels not sorted or duplicated at "${name}"`);
    prev = name;
  }
  if (!hasName) throw new StorageError('series without a metric name (__name__ label)');
}
