import { type Labels, METRIC_NAME, isValidLabelName } from '../model/labels.js';
import { StorageError } from './interface.js';

/** Rejects what no storage should accept: unnamed series, invalid or duplicate label names, impossible times. */
export function validateSample(labels: Labels, t: number): void {
  if (!Number.isSafeInteger(t)) throw new StorageError(`invalid timestamp ${t}: must be integer milliseconds`);
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
