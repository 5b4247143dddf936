import type { FlagSpec } from './flags.js';

/** The flags every exporter has, in node_exporter's dialect. */
export function commonFlags(defaultListenAddress: string): FlagSpec[] {
  return [
    {
      name: 'web.listen-address',
      kind: 'strings',
      default: [defaultListenAddress],
      placeholder: 'HOST:PORT',
      help: 'Address to listen on; repeat for several. [::]:PORT serves IPv6 and IPv4',
    },
    {
      name: 'web.telemetry-path',
      kind: 'string',
      default: '/metrics',
      placeholder: 'PATH',
      help: 'Path under which to expose metrics',
    },
    {
      name: 'web.config.file',
      kind: 'string',
      placeholder: 'FILE',
      help: 'Web configuration file (exporter-toolkit format: tls_server_config, basic_auth_users)',
    },
    {
      name: 'web.allow',
      kind: 'strings',
      placeholder: 'CIDR,...',
      help: 'Only these addresses or CIDR ranges may connect (IPv4 and IPv6); everyone else gets 403. Default: everyone',
    },
    {
      name: 'log.level',
      kind: 'string',
      default: 'info',
      placeholder: 'LEVEL',
      help: 'Only log messages with this severity or above: debug, info, warn, error',
    },
    {
      name: 'log.format',
      kind: 'string',
      default: 'logfmt',
      placeholder: 'FORMAT',
      help: 'Log format: logfmt or json',
    },
    {
      name: 'stdout',
      kind: 'boolean',
      help: 'Collect once, print the metrics to stdout and exit (non-zero if a collector failed)',
    },
    { name: 'version', kind: 'boolean', help: 'Print the version and exit' },
    { name: 'help', kind: 'boolean', short: 'h', help: 'Show this help and exit' },
  ];
}
