import type { FlagSpec } from '@motley/exporter-kit';

/** The scrape subsystem's flags; the server role adds them to its list. */
export const scrapeFlags: FlagSpec[] = [
  {
    name: 'config.file',
    kind: 'string',
    placeholder: 'FILE',
    help: 'prometheus.yml to scrape by (global, scrape_configs); without it an embedded default scrapes this server and 127.0.0.1:9100. Reloaded on SIGHUP and POST /-/reload',
  },
  {
    name: 'check',
    kind: 'boolean',
    help: 'Validate --config.file (and the file_sd files it names), print the result and exit 0 (valid) or 1',
  },
  {
    name: 'self-scrape-interval',
    kind: 'duration',
    default: '0s',
    placeholder: 'DURATION',
    help: 'Scrape the server\'s own metrics into its storage this often (job="motley", instance="self"); 0 disables',
  },
];
