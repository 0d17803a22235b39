/**
 * pino factory shared by every Tally process. It imports no configuration: callers pass the
 * level and service name they loaded, so tests can build loggers from literals.
 */

export type { Logger, LoggerOptions } from './create-logger.js';
export { createLogger, flushLogs } from './create-logger.js';
export { type LogSink, RateLimitedLog } from './rate-limited-log.js';
