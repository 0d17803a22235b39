type Level = 'warn' | 'error';

/** What is needed of a logger: pino's and Fastify's both fit. */
export interface LogSink {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Logs the first occurrence of each kind of line, then at most one per `intervalMs`, carrying
 * how many were suppressed meanwhile. For lines a client can cause at will (a flood of refused
 * requests, a Redis outage hit by every request): the log stays readable and its size bounded
 * however fast they come. Kinds are a small fixed set chosen by the caller, never client input.
 */
export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: LogSink,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    this.write('warn', kind, fields, message);
  }

  error(kind: string, fields: Record<string, unknown>, message: string): void {
    this.write('error', kind, fields, message);
  }

  private write(level: Level, kind: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    const seen = this.last.get(kind);
    if (seen !== undefined && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(kind, { at: now, suppressed: 0 });
    this.logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, message);
  }
}
