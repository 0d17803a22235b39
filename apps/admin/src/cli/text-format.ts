/** Plain-text formatting for the terminal: ages, truncation and aligned tables. */

const AGE_UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/** `42s`, `5m 3s`, `2h 5m`, `3d 4h`: two units at most, enough to tell "just now" from "last week". */
export function formatAge(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of AGE_UNITS) {
    if (parts.length === 0 && rest < size && size > 1) continue;
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    parts.push(`${amount}${unit}`);
    if (parts.length === 2) break;
  }
  // "5m 0s" says no more than "5m".
  return parts.filter((part, i) => i === 0 || !part.startsWith('0')).join(' ');
}

/**
 * Why a file could not be opened, without the system call and path Node's message adds:
 * `ENOENT: no such file or directory, open '/x'` reads `ENOENT: no such file or directory`
 * (the caller names the path, which may differ from the one opened, a temporary name).
 */
export function fileProblem(error: unknown): string {
  return (error as Error).message.split(',')[0]!;
}

/** Cuts `text` to `max` characters with an ellipsis, on one line. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}

/** Thousands separators, so 25000 failed jobs reads as 25,000. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 summary`, `3,000 summaries`: a count and its noun, singular for exactly one. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/**
 * Columns padded to their widest cell; columns listed in `rightAligned` (numbers) are aligned
 * right. The last column is not padded, so long reasons do not leave trailing spaces.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number> = new Set(),
): string[] {
  const widths = headers.map((header, col) => Math.max(header.length, ...rows.map((row) => (row[col] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, col) => {
        if (col === cells.length - 1) return cell;
        const width = widths[col] ?? cell.length;
        return rightAligned.has(col) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
