import { formatAge, formatCount, truncate } from '../text-format.js';
import type { ImportCounters } from './import-counters.js';

const BAR_WIDTH = 24;
/** A refusal this recent is still news: the progress says why, so a wrong --url shows at once. */
const RECENT_REFUSAL_MS = 10_000;
/** Longest reason shown (a proxy's HTML error page must not flood the line). */
const REASON_MAX = 80;

/** `3 refusals`, and while they are going on, the latest one's reason. */
function refusals(counters: ImportCounters, now: number): string {
  const count = `${formatCount(counters.refusals)} refusals`;
  const last = counters.lastRefusal;
  if (last === null || now - last.at > RECENT_REFUSAL_MS) return count;
  return `${count} (last: ${truncate(last.reason, REASON_MAX)})`;
}

/** Summaries accepted per second since the start. */
export function summariesPerSecond(counters: ImportCounters, now: number): number {
  const seconds = (now - counters.startedAt) / 1000;
  return seconds <= 0 ? 0 : counters.accepted / seconds;
}

/** Fraction of the input read and the time left, when the input's size is known. */
function position(counters: ImportCounters, now: number): { fraction: number; etaMs: number | null } | null {
  if (counters.totalBytes === null || counters.totalBytes === 0) return null;
  const fraction = Math.min(1, counters.bytes / counters.totalBytes);
  const elapsed = now - counters.startedAt;
  return { fraction, etaMs: fraction > 0 ? (elapsed * (1 - fraction)) / fraction : null };
}

/** One plain line, for logs and pipes: `import: 104,000 lines (52%), 103,997 accepted, …`. */
export function plainProgressLine(verb: string, counters: ImportCounters, now: number): string {
  const at = position(counters, now);
  const parts = [
    `${formatCount(counters.lines)} lines${at ? ` (${Math.floor(at.fraction * 100)}%)` : ''}`,
    `${formatCount(counters.accepted)} accepted`,
    `${formatCount(counters.rejected)} rejected`,
    `${formatCount(Math.round(summariesPerSecond(counters, now)))} summaries/s`,
    ...(at?.etaMs != null ? [`ETA ${formatAge(at.etaMs)}`] : []),
    refusals(counters, now),
  ];
  return `${verb}: ${parts.join(', ')}`;
}

/** The terminal bar: `[██████░░░░] 52% 104,000 lines · 18,200 summaries/s · ETA 6s · 3 rejected · 0 refusals`. */
export function barLine(counters: ImportCounters, now: number): string {
  const at = position(counters, now);
  const filled = at ? Math.round(at.fraction * BAR_WIDTH) : 0;
  const bar = at ? `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(at.fraction * 100)).padStart(3)}% ` : '';
  return (
    `${bar}${formatCount(counters.lines)} lines · ${formatCount(Math.round(summariesPerSecond(counters, now)))} summaries/s` +
    `${at?.etaMs != null ? ` · ETA ${formatAge(at.etaMs)}` : ''} · ${formatCount(counters.rejected)} rejected · ${refusals(counters, now)}`
  );
}
