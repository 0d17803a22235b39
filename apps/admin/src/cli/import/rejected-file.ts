import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
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

  private constructor(readonly path: string) {}

  /**
   * Removes a previous run's file, after making sure one can be written there: a path that
   * cannot (no such directory, no permission) fails here, before anything is sent, instead of
   * at the first rejected line with part of the input counted and no report.
   */
  static async create(path: string): Promise<RejectedFile> {
    await (await open(path, 'w')).close();
    await rm(path, { force: true });
    return new RejectedFile(path);
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
