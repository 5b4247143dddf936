import type { Labels } from '../model/labels.js';
import type { RelabelRule } from '../model/relabel/relabel.js';

/** The parsed prometheus.yml. Durations are milliseconds; paths are absolute. */
export interface Config {
  /** Absolute path of the file, or a description for the embedded default. */
  readonly source: string;
  readonly global: GlobalConfig;
  readonly scrapeConfigs: readonly ScrapeConfig[];
}

export interface GlobalConfig {
  readonly scrapeInterval: number;
  readonly scrapeTimeout: number;
  readonly evaluationInterval: number;
  readonly externalLabels: Labels;
}

/** A group of targets sharing labels, as static_configs and file_sd files write them. */
export interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Identifies the group within its provider (e.g. `file.yml:0`). */
  readonly source: string;
}

export interface FileSdConfig {
  /** Absolute path patterns; `*`, `?` and `[...]` allowed in the last path element only. */
  readonly files: readonly string[];
  readonly refreshInterval: number;
}

export interface TlsConfig {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export interface HttpClientConfig {
  readonly basicAuth?: {
    readonly username: string;
    readonly password?: string;
    readonly passwordFile?: string;
  };
  readonly authorization?: {
    readonly type: string;
    readonly credentials?: string;
    readonly credentialsFile?: string;
  };
  readonly tls: TlsConfig;
  readonly proxyUrl?: string;
  readonly followRedirects: boolean;
}

export interface ScrapeConfig {
  readonly jobName: string;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly scrapeInterval: number;
  readonly scrapeTimeout: number;
  readonly metricsPath: string;
  readonly scheme: 'http' | 'https';
  /** Bytes; 0 = no limit. */
  readonly bodySizeLimit: number;
  readonly sampleLimit: number;
  readonly targetLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly http: HttpClientConfig;
  readonly staticConfigs: readonly TargetGroup[];
  readonly fileSdConfigs: readonly FileSdConfig[];
  readonly relabelConfigs: readonly RelabelRule[];
  readonly metricRelabelConfigs: readonly RelabelRule[];
  /** Equal fingerprints mean an identical job: a reload keeps its scrape loops untouched. */
  readonly fingerprint: string;
}

export const DEFAULT_GLOBAL: GlobalConfig = {
  scrapeInterval: 60_000,
  scrapeTimeout: 10_000,
  evaluationInterval: 60_000,
  externalLabels: [],
};
