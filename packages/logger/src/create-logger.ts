import { type Logger, pino } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Service name written on every line (`ingress`, `worker`, …). */
  name: string;
  /** pino level; `silent` turns logging off (the default in tests). */
  level?: string;
  /** Human-readable output through pino-pretty; for local development only. */
  pretty?: boolean;
}

/**
 * Paths that never reach a log line: bearer tokens travel in `Authorization`, and config objects
 * carry the token list and connection strings with credentials.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'tokens',
  '*.tokens',
  'config.tokens',
];

/** Creates a pino logger with Tally's redaction rules; errors go under `err`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: options.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  });
}
