import { styleText } from 'node:util';
import { LOG_LEVEL_NAMES, type LogRecord, parseLogLine } from '@tally/testing';

/** Fields every line carries; repeating them would drown the message. */
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'service', 'v']);
type Style = Parameters<typeof styleText>[0];
const LEVEL_STYLE: Record<string, Style> = { trace: 'gray', debug: 'gray', info: 'green', warn: 'yellow', error: 'red', fatal: 'red' };
const NAME_STYLE: Record<string, Style> = { ingress: 'cyan', worker: 'magenta', admin: 'blue', redis: 'red', mongo: 'green' };

/**
 * Formats one line of a child's output for a human: pino JSON becomes
 * `[ingress] INFO  ingress listening url=http://…`, anything else is printed as it came, behind
 * the same prefix. Colours only on a terminal, and never with NO_COLOR.
 */
export function formatChildLine(name: string, line: string, color = useColor()): string {
  const paint = (style: Style | undefined, text: string) => (color && style !== undefined ? styleText(style, text) : text);
  const prefix = paint(NAME_STYLE[name.replace(/[-:].*$/, '')], `[${name}]`.padEnd(10));
  const record = parseLogLine(line);
  if (record === null) return `${prefix} ${line}`;
  const level = LOG_LEVEL_NAMES[record.level ?? 30] ?? String(record.level);
  const fields = Object.entries(record)
    .filter(([key]) => !SKIPPED.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${compact(key, value)}`);
  const head = `${prefix} ${paint(LEVEL_STYLE[level], level.toUpperCase().padEnd(5))} ${record.msg ?? ''}`;
  return [head, paint('gray', fields.join(' ')), ...formatError(record, prefix)].filter((part) => part !== '').join(' ');
}

/** One value, short: request and response objects shrink to what a human scans for. */
function compact(key: string, value: unknown): string {
  if (key === 'req' && isObject(value)) return `${String(value.method)} ${String(value.url)}`;
  if (key === 'res' && isObject(value)) return String(value.statusCode);
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** An `err` field: its message inline, and its stack on the following lines for error and above. */
function formatError(record: LogRecord, prefix: string): string[] {
  const err = record.err;
  if (!isObject(err)) return [];
  const summary = `err=${String(err.type ?? 'Error')}: ${String(err.message ?? '')}`;
  if ((record.level ?? 0) < 50 || typeof err.stack !== 'string') return [summary];
  const stack = err.stack
    .split('\n')
    .slice(1)
    .map((frame) => `\n${prefix}   ${frame.trim()}`);
  return [summary + stack.join('')];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function useColor(): boolean {
  return process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
}
