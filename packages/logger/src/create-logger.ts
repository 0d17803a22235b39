import { type DestinationStream, type Logger, pino } from 'pino';
import { scrubString, scrubValue } from './scrub-secrets.js';

export type { Logger };

export interface LoggerOptions {
  /** Service name written on every line (`ingress`, `worker`, …). */
  name: string;
  /** pino level; `silent` turns logging off (the default in tests). */
  level?: string;
  /** Human-readable output through pino-pretty; for local development only. */
  pretty?: boolean;
  /** Where lines go (default stdout); tests read them back. */
  destination?: DestinationStream;
}

/**
 * Paths that never reach a log line: bearer tokens travel in `Authorization`, sessions in
 * cookies, and config objects carry the token list, passwords and connection strings.
 * Credentials inside strings (URLs in error messages) are scrubbed separately (scrub-secrets.ts).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  'authorization',
  'cookie',
  'password',
  '*.password',
  'ADMIN_PASSWORD',
  '*.ADMIN_PASSWORD',
  'TALLY_TOKENS',
  '*.TALLY_TOKENS',
  'token',
  '*.token',
  'tokens',
  '*.tokens',
  'config.tokens',
];

/** Creates a pino logger with Tally's redaction rules; errors go under `err`. */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { log: (object) => scrubValue(object) as Record<string, unknown> },
    // pino's serialized error is a class instance: made plain first, so its message and stack
    // (where drivers quote connection URLs) are scrubbed too.
    serializers: { err: (err: Error) => scrubValue(JSON.parse(JSON.stringify(pino.stdSerializers.err(err)))) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<typeof method>);
      },
    },
    base: { service: options.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
