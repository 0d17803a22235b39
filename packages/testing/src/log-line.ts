/** A parsed pino log line: `level`, `time`, `msg` and any bound or logged fields. */
export type LogRecord = Record<string, unknown> & { level?: number; msg?: string };

/**
 * Parses one output line as a pino JSON record; null for anything else (a stack trace printed
 * by Node, a tsx warning, pretty output).
 */
export function parseLogLine(line: string): LogRecord | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : null;
  } catch {
    return null;
  }
}

/** pino's numeric levels, by name. */
export const LOG_LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
