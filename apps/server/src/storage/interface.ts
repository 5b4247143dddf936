import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matchers.js';

/**
 * The seams of the server, after Prometheus' storage/interface.go. Scrape, remote-write receive and
 * import write through Appendable; PromQL and the API read through Queryable. Timestamps are
 * milliseconds since the epoch; values are float64 and NaN payloads (stale markers) are kept
 * bit-exact.
 */

/** Opaque per-storage series reference; 0 means "not known yet". */
export type SeriesRef = number;

export interface Appender {
  /**
   * Adds a sample. `ref` is a reference returned by an earlier append on the same storage
   * (a cache hint, may be 0); the returned reference can be passed next time.
   * Throws StorageError on invalid input.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /** Makes every sample appended since the last commit durable and visible. */
  commit(): Promise<void>;
  /** Discards every sample appended since the last commit. */
  rollback(): void;
  /**
   * Optional bulk path for ingest (see appendSeries in bulk-append.ts): resolves a series by an
   * opaque key that identifies its label set (e.g. the label bytes of a remote-write request);
   * `labels` is called only when the key is new to the storage, and never after the method
   * returns. Throws StorageError.
   */
  seriesRef?(key: string, labels: () => Labels): SeriesRef;
  /**
   * Optional bulk path like seriesRef, keyed by raw bytes[start..end) (e.g. the label fields of a
   * remote-write time series) and their 32-bit hash, so that no key string is built per request.
   */
  seriesRefByBytes?(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
    labels: () => Labels,
  ): SeriesRef;
  /** Optional bulk path: appends t/v[from..to) to a series returned by seriesRef. Throws StorageError. */
  appendSamples?(ref: SeriesRef, t: Float64Array, v: Float64Array, from: number, to: number): void;
}

export interface Appendable {
  appender(): Appender;
}

/** The samples of one series within the querier's time range, sorted by time. */
export interface SampleArrays {
  readonly t: Float64Array;
  readonly v: Float64Array;
}

export interface Series {
  readonly labels: Labels;
  samples(): SampleArrays;
}

export interface SelectHints {
  /** Caller only needs labels (e.g. /api/v1/series): no samples will be read. */
  labelsOnly?: boolean;
  /**
   * Caller only needs each series' newest sample in [mint, maxt] (an instant vector selector at
   * one time): the querier may return that sample alone, or all of them.
   */
  latestOnly?: boolean;
}

export interface Querier {
  /** Series with at least one sample in [mint, maxt] matching every matcher, sorted by labels. */
  select(matchers: readonly Matcher[], hints?: SelectHints): Series[];
  /** Label names of the series matching the matchers (all series if none) with samples in range. */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** Values of label `name` over matching series with samples in range, sorted. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
  close(): void;
}

export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}

export interface Storage extends Appendable, Queryable {
  start?(): Promise<void>;
  stop(): Promise<void>;
}

/** Input the storage refuses (bad labels, impossible timestamps). Maps to HTTP 400. */
export class StorageError extends Error {
  override name = 'StorageError';
}
