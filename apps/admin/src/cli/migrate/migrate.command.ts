import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ApiClient } from '../http/api-client.js';
import { newCounters } from '../import/import-counters.js';
import { type ImportSessionIo, runImportSession, type SendOptions } from '../import/import-session.js';
import { type InputLine, readLines } from '../import/line-source.js';
import { parseNdjsonLine } from '../import/ndjson-line.parser.js';
import { type SourceUser, sourceReader } from './source-summaries.reader.js';

/** `tally migrate`: what the command line decided. */
export interface MigrateOptions extends SendOptions {
  /** Base URL of the source: Intercom (https://api.intercom.io) or another Tally. */
  from: string;
  fromToken: string;
  /** A file of user ids, one per line, or `-` for stdin. */
  users: string;
  rejectedPath: string | null;
}

/**
 * Yields `source` mapped through `read`, in order, with up to `window` reads running ahead: the
 * source's latency overlaps the import's sending without memory growing past the window.
 */
async function* readAhead(source: AsyncIterable<InputLine>, window: number, read: (userId: string) => Promise<SourceUser>) {
  const pending: { input: InputLine; result: Promise<SourceUser | Error> }[] = [];
  // A failed read is kept as a value until its turn, so no rejection goes unhandled meanwhile.
  const start = (input: InputLine) => pending.push({ input, result: read(input.text.trim()).catch((e: unknown) => e as Error) });
  for await (const input of source) {
    if (input.text.trim() === '') continue;
    start(input);
    if (pending.length >= window) yield await settle(pending.shift()!);
  }
  while (pending.length > 0) yield await settle(pending.shift()!);
}

async function settle(entry: { input: InputLine; result: Promise<SourceUser | Error> }) {
  const result = await entry.result;
  if (result instanceof Error) throw result;
  return { input: entry.input, user: result };
}

/**
 * Copies the summaries of each listed user from an Intercom-compatible API into this Tally,
 * through the same import (batching, Idempotency-Keys, retries, progress, rejected file). The
 * lines are generated in the users file's order, so a re-run after an interruption derives the
 * same keys and resumes, as long as the source's data has not changed in between.
 */
export async function migrateCommand(options: MigrateOptions, io: ImportSessionIo & { stdin: () => Readable }): Promise<number> {
  const fromStdin = options.users === '-';
  const counters = newCounters(fromStdin ? null : (await stat(options.users)).size);
  const source = new ApiClient(options.from, options.fromToken, { maxSockets: options.concurrency, timeoutMs: 30_000 });
  const read = sourceReader(source, {
    retryDeadlineMs: options.retryDeadlineMs,
    onRefusal: () => void counters.refusals++,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  async function* summaryLines(): AsyncGenerator<InputLine> {
    let line = 0;
    const users = readLines(fromStdin ? io.stdin() : createReadStream(options.users));
    for await (const { input, user } of readAhead(users, options.concurrency, read)) {
      if (!user.ok) {
        yield { line: ++line, text: JSON.stringify({ user_id: input.text.trim() }), bytes: input.bytes, failure: user.errors };
        continue;
      }
      // The users file's bytes measure progress: they are counted with the user's last line.
      for (const [i, text] of user.lines.entries()) yield { line: ++line, text, bytes: i === user.lines.length - 1 ? input.bytes : 0 };
    }
  }
  try {
    return await runImportSession(
      'migrate',
      {
        lines: summaryLines(),
        parse: parseNdjsonLine,
        rejectedPath: options.rejectedPath ?? (fromStdin ? 'migrate.rejected.ndjson' : `${options.users}.rejected.ndjson`),
      },
      counters,
      options,
      io,
    );
  } finally {
    source.close();
  }
}
