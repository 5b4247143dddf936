import { UsageError } from './errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type LogFields = Record<string, string | number | boolean | undefined | null>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function parseLogLevel(text: string): LogLevel {
  if (text in ORDER) return text as LogLevel;
  throw new UsageError(`--log.level: must be one of debug, info, warn, error (got "${text}")`);
}

function quote(v: string): string {
  return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
}

/** logfmt lines on stderr, as node_exporter writes them. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
  format: 'logfmt' | 'json' = 'logfmt',
): Logger {
  const min = ORDER[level];
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[lvl] < min) return;
    const ts = new Date().toISOString();
    if (format === 'json') {
      write(`${JSON.stringify({ ts, level: lvl, msg, ...fields })}\n`);
      return;
    }
    let line = `ts=${ts} level=${lvl} msg=${quote(msg)}`;
    for (const [k, v] of Object.entries(fields ?? {})) {
      if (v !== undefined && v !== null) line += ` ${k}=${quote(String(v))}`;
    }
    write(`${line}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
