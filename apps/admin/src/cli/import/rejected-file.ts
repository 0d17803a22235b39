import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { RejectedLine } from './summary-line.js';

/**
 * `FILE.rejected.ndjson`: one line per rejected input line — its line number, the API's errors
 * and the line as it was — so it can be fixed and imported on its own. A previous run's file is
 * removed at the start (a re-run rejects the same lines again, so nothing is lost), and the
 * file is only created when a first line is rejected: no file means nothing was rejected.
 */
export class RejectedFile {
  private stream: WriteStream | null = null;
  count = 0;

  constructor(readonly path: string) {
    rmSync(path, { force: true });
  }

  async write(rejected: RejectedLine): Promise<void> {
    this.count++;
    this.stream ??= createWriteStream(this.path, { flags: 'a' });
    const record = `${JSON.stringify({ line: rejected.line, errors: rejected.errors, input: rejected.text })}\n`;
    if (!this.stream.write(record)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.stream === null) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
