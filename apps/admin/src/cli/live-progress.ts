/** A progress display's two renderings: a bar redrawn in place, and a self-contained log line. */
export interface ProgressRender {
  bar(now: number): string;
  plain(now: number): string;
}

/** Where progress goes: stderr, whose `isTTY` decides between the two renderings. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Shows a long command's progress on stderr while it runs: a bar redrawn in place on a
 * terminal, a plain line every `intervalMs` otherwise (a CI log or a file must not fill with
 * redraws). stdout stays free for the result, so `tally export | gzip` works.
 */
export class LiveProgress {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: ProgressStream,
    private readonly render: ProgressRender,
    private readonly options: { intervalMs?: number; now?: () => number } = {},
  ) {}

  start(): void {
    const tty = this.stream.isTTY === true;
    this.timer = setInterval(() => this.draw(tty), tty ? 200 : (this.options.intervalMs ?? 5000));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.stream.isTTY === true) this.stream.write('\r\x1b[K');
  }

  private draw(tty: boolean): void {
    const now = (this.options.now ?? Date.now)();
    if (tty) this.stream.write(`\r${this.render.bar(now)}\x1b[K`);
    else this.stream.write(`${this.render.plain(now)}\n`);
  }
}
