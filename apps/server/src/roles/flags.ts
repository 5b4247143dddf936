import type { FlagSpec } from '@motley/exporter-kit';

/** Flags every role shares. Subsystems export their own specs (e.g. storage/flags.ts) and roles add them. */
export const commonFlags: FlagSpec[] = [
  {
    name: 'web.listen-address',
    kind: 'strings',
    default: ['127.0.0.1:8428'],
    placeholder: 'HOST:PORT',
    help: 'Address to listen on for the API and UI; [::]:8428 listens on IPv6 and IPv4',
  },
  {
    name: 'log.level',
    kind: 'string',
    default: 'info',
    placeholder: 'LEVEL',
    help: 'debug, info, warn or error',
  },
  { name: 'log.format', kind: 'string', default: 'logfmt', placeholder: 'FORMAT', help: 'logfmt or json' },
  { name: 'help', kind: 'boolean', short: 'h', help: 'Show this help and exit' },
  { name: 'version', kind: 'boolean', help: 'Print the version and exit' },
];
