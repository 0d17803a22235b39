import type { CommandOutput } from './output.js';
import { formatCount } from './text-format.js';

/**
 * Progress of a bulk operation, on stderr: at most one line per `intervalMs` (a re-drive of
 * 100,000 jobs should say it is alive without printing 100,000 lines), and nothing at all for
 * small batches, where the result line says everything.
 */
export class Progress {
  private done = 0;
  private lastPrinted = 0;

  constructor(
    private readonly output: CommandOutput,
    private readonly verb: string,
    private readonly total: number,
    private readonly options: { minTotal?: number; intervalMs?: number; now?: () => number } = {},
  ) {}

  /** Records `count` more jobs handled and prints a line if one is due. */
  advance(count: number): void {
    this.done += count;
    if (this.total < (this.options.minTotal ?? 500)) return;
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastPrinted < (this.options.intervalMs ?? 1000) && this.done < this.total) return;
    this.lastPrinted = now;
    const percent = this.total === 0 ? 100 : Math.floor((this.done / this.total) * 100);
    this.output.err(`${this.verb} ${formatCount(this.done)} / ${formatCount(this.total)} (${percent}%)`);
  }
}
