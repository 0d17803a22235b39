import { type DestinationStream, type Logger, pino } from 'pino';
import { SECRET_KEY_NAMES, scrubString, scrubValue } from './scrub-secrets.js';

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
  /**
   * stdout: how late a line may reach it at most, when nothing writes it sooner (default
   * STDOUT_FLUSH_MS). Tests that must tell "written at once" from "written by the timer" raise it.
   */
  flushEveryMs?: number;
}

/**
 * Most bytes of log lines held while stdout does not take them; past it, new lines are dropped.
 * stdout is written asynchronously (pino's default), so a reader that stalls (a stuck log
 * shipper, a full pipe) never blocks the process; without a cap, though, the lines it has not
 * taken pile up in memory until the process is killed for it. pino writes what is pending when
 * the process exits, crash included; only a SIGKILL loses the lines still held.
 */
export const STDOUT_BUFFER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * stdout is written once this many bytes of lines are waiting, or every STDOUT_FLUSH_MS, or at
 * once for a warning, an error or a `flushLogs` call: a busy ingress writes one request line per
 * request, and a write per line put a thread-pool round trip on every request. A line reaches
 * stdout at most STDOUT_FLUSH_MS late.
 */
const STDOUT_WRITE_MIN_BYTES = 8 * 1024;
const STDOUT_FLUSH_MS = 100;

/** pino's `warn`: lines at this level or above are written at once, not batched. */
const WRITE_AT_ONCE_LEVEL = 40;

interface FlushableStream {
  flush: () => void;
  once: (event: 'drain', listener: () => void) => void;
}

/** Streams already set to write again when their write in flight ends (one at a time). */
const rewriteOnDrain = new WeakSet<object>();

/**
 * Starts writing the lines held for stdout now, without waiting for the batch to fill or for
 * the next periodic write, and without blocking. Warnings and errors do it by themselves; call
 * it after a line that something waits for (`ingress listening`, `worker ready`), since a
 * process can be SIGKILLed a moment after saying it. Lines held for a stalled reader stay held
 * (the cap still applies).
 */
export function flushLogs(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, Partial<FlushableStream> | undefined>)[pino.symbols.streamSym];
  if (typeof stream?.flush !== 'function' || typeof stream.once !== 'function') return;
  const flush = () => {
    try {
      stream.flush?.();
    } catch {
      // a destroyed stream: nothing left to write
    }
  };
  flush();
  // sonic-boom starts no write while one is in flight, and when that one ends it leaves what
  // came meanwhile for the batch: so write once more when it ends. At most one such listener
  // per stream, so a burst of warnings adds no work, and a stalled reader holds one.
  if (rewriteOnDrain.has(stream)) return;
  rewriteOnDrain.add(stream);
  stream.once('drain', () => {
    rewriteOnDrain.delete(stream);
    flush();
  });
}

/** Creates a pino logger with Tally's redaction rules; errors go under `err`. */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    // Secrets are censored by key at any depth and scrubbed inside strings (scrub-secrets.ts).
    // Not pino's `redact`: its per-path pass made every child logger (one per request) and every
    // line several times dearer. Child bindings do not pass through `formatters.log`; the
    // per-key serializers below censor theirs.
    formatters: { log: (object) => scrubValue(object) as Record<string, unknown> },
    serializers: {
      ...Object.fromEntries(SECRET_KEY_NAMES.flatMap((key) => [key, key.toUpperCase()]).map((key) => [key, () => '[redacted]'])),
      // pino's serialized error is a class instance: made plain first, so its message and stack
      // (where drivers quote connection URLs) are scrubbed too.
      err: (err: Error) => scrubValue(JSON.parse(JSON.stringify(pino.stdSerializers.err(err)))),
    },
    hooks: {
      logMethod(args, method, level) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<typeof method>);
        // A warning or an error is often the last thing a process says before it is killed.
        if (level >= WRITE_AT_ONCE_LEVEL) flushLogs(this);
      },
    },
    base: { service: options.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
  if (options.destination) return pino(settings, options.destination);
  if (options.pretty) return pino(settings);
  return pino(
    settings,
    pino.destination({
      dest: 1,
      sync: false,
      minLength: STDOUT_WRITE_MIN_BYTES,
      periodicFlush: options.flushEveryMs ?? STDOUT_FLUSH_MS,
      maxLength: STDOUT_BUFFER_MAX_BYTES,
    }),
  );
}
