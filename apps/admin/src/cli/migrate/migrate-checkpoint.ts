import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

/** The first line of a checkpoint file: which migration it belongs to. */
interface Header {
  tally_migrate: 1;
  /** Names the migration in every Idempotency-Key it sends (see migrate.command.ts). */
  id: string;
  from: string;
}

/**
 * The users a migration has finished, so a re-run skips them whatever their source holds now.
 *
 * A text file: a JSON header naming the migration, then one JSON string per finished user,
 * appended once every one of the user's summaries was accepted or rejected by the API (never
 * before, so an entry never runs ahead of the data). A run killed mid-write leaves at most a
 * torn last line, which is ignored: that user is read and sent again, under the same keys.
 */
export class MigrateCheckpoint {
  private out: WriteStream | null = null;

  private constructor(
    readonly path: string,
    readonly id: string,
    private readonly finished: Set<string>,
    private readonly dryRun: boolean,
  ) {}

  /**
   * Reads the file if it exists; otherwise starts a new migration and writes its header at
   * once, before anything is sent: a run killed before its first user finished must still
   * leave the id its re-run derives the same keys from. A dry run writes nothing.
   */
  static async open(path: string, from: string, { dryRun }: { dryRun: boolean }): Promise<MigrateCheckpoint> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const header: Header = { tally_migrate: 1, id: randomBytes(12).toString('base64url'), from };
      if (!dryRun) await writeFile(path, `${JSON.stringify(header)}\n`, { flag: 'wx' });
      return new MigrateCheckpoint(path, header.id, new Set(), dryRun);
    }
    const [first = '', ...rest] = text.split('\n');
    const header = parseJson(first) as Partial<Header> | null;
    if (header?.tally_migrate !== 1 || typeof header.id !== 'string') {
      throw new Error(`${path} is not a migrate checkpoint (its first line names no migration)`);
    }
    // Another source's finished users are not this source's: skipping them would lose data.
    if (header.from !== from) throw new Error(`${path} is the checkpoint of a migration from ${header.from}, not ${from}`);
    const finished = new Set<string>();
    for (const line of rest) {
      const user = parseJson(line);
      if (typeof user === 'string') finished.add(user);
    }
    return new MigrateCheckpoint(path, header.id, finished, dryRun);
  }

  /** Users finished by earlier runs (and this one). */
  get size(): number {
    return this.finished.size;
  }

  has(userId: string): boolean {
    return this.finished.has(userId);
  }

  /** Records a user whose every summary the API has answered for. */
  finish(userId: string): void {
    if (this.finished.has(userId)) return;
    this.finished.add(userId);
    if (this.dryRun) return;
    this.out ??= createWriteStream(this.path, { flags: 'a' });
    this.out.write(`${JSON.stringify(userId)}\n`);
  }

  async close(): Promise<void> {
    const out = this.out;
    if (out === null) return;
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
