import { parseConfig } from './load.js';
import type { Config } from './types.js';

/**
 * The configuration used when no --config.file is given: the server scrapes itself (job "motley")
 * and a node exporter on the same host (job "node", 127.0.0.1:9100), every 15 s.
 */
export function defaultConfigText(selfAddress: string): string {
  return `global:
  scrape_interval: 15s
  scrape_timeout: 10s
scrape_configs:
  - job_name: motley
    static_configs:
      - targets: ['${selfAddress}']
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:9100']
`;
}

export function defaultConfig(selfAddress: string): Config {
  return parseConfig(
    defaultConfigText(selfAddress),
    `${process.cwd()}/(embedded default config)`,
    '(embedded default config)',
  );
}
