import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sortLabels } from '../model/labels.js';
import { parseLabelMap } from './common.js';
import { parseScrapeConfig } from './scrape-config.js';
import { type Config, DEFAULT_GLOBAL, type GlobalConfig } from './types.js';
import { ConfigError, YamlValue } from './yaml-value.js';

/** Sections of prometheus.yml that belong to other parts of Prometheus; accepted and not used here. */
const IGNORED_SECTIONS = ['rule_files', 'alerting', 'remote_write', 'remote_read', 'storage', 'tracing'];

/** Reads and validates a prometheus.yml. Throws ConfigError (`file:line: key: reason`). */
export function loadConfigFile(path: string): Config {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${path}: cannot read the configuration file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`,
    );
  }
  return parseConfig(text, absolute, path);
}

/** Parses configuration text; relative paths inside resolve against the directory of `path`. */
export function parseConfig(text: string, path: string, displayName = path): Config {
  const root = YamlValue.parse(text, displayName);
  const top = root.map(['global', 'scrape_configs', ...IGNORED_SECTIONS]);
  const global = parseGlobal(top.get('global'));
  const dir = dirname(resolve(path));
  const jobs = new Set<string>();
  const scrapeConfigs = (top.get('scrape_configs')?.list() ?? []).map((v) => {
    const sc = parseScrapeConfig(v, global, dir);
    if (jobs.has(sc.jobName)) v.fail(`found multiple scrape configs with job name "${sc.jobName}"`);
    jobs.add(sc.jobName);
    return sc;
  });
  return { source: path, global, scrapeConfigs };
}

function parseGlobal(v: YamlValue | undefined): GlobalConfig {
  if (!v) return DEFAULT_GLOBAL;
  const m = v.map([
    'scrape_interval',
    'scrape_timeout',
    'evaluation_interval',
    'external_labels',
    'query_log_file',
  ]);
  const scrapeInterval = m.get('scrape_interval')?.duration() ?? DEFAULT_GLOBAL.scrapeInterval;
  const timeoutValue = m.get('scrape_timeout');
  let scrapeTimeout = timeoutValue?.duration() ?? DEFAULT_GLOBAL.scrapeTimeout;
  if (scrapeInterval === 0) m.get('scrape_interval')?.fail('must be greater than 0');
  if (timeoutValue && scrapeTimeout > scrapeInterval)
    timeoutValue.fail('global scrape timeout greater than scrape interval');
  if (!timeoutValue && scrapeTimeout > scrapeInterval) scrapeTimeout = scrapeInterval;
  const evaluationInterval = m.get('evaluation_interval')?.duration() ?? DEFAULT_GLOBAL.evaluationInterval;
  const externalLabels = parseLabelMap(m.get('external_labels'));
  return { scrapeInterval, scrapeTimeout, evaluationInterval, externalLabels: sortLabels(externalLabels) };
}

export { ConfigError };
