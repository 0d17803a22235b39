import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ApiClient } from '../http/api-client.js';
import { countRefusal, newCounters } from '../import/import-counters.js';
import { IMPORT_EXIT, type ImportSessionIo, runImportSession, type SendOptions } from '../import/import-session.js';
import { inputFileSize } from '../import/input-file.js';
import { type InputLine, readLines } from '../import/line-source.js';
import { parseNdjsonLine } from '../import/ndjson-line.parser.js';
import { formatCount } from '../text-format.js';
import { MigrateCheckpoint } from './migrate-checkpoint.js';
import { type SourceUser, sourceReader } from './source-summaries.reader.js';

/** `tally migrate`: what the command line decided. */
export interface MigrateOptions extends SendOptions {
  /** Base URL of the source: Intercom (https://api.intercom.io) or another Tally. */
  from: string;
  fromToken: string;
  /** A file of user ids, one per line, or `-` for stdin. */
  users: string;
  rejectedPath: string | null;
  /** The users finished so far; default `USERS.migrated` (`migrate.migrated` for stdin). */
  checkpointPath: string | null;
}

/** Prefix of every key a migration derives, so they are recognisable in the ledger. */
export const MIGRATE_KEY_PREFIX = 'tally-migrate';

/**
 * `tally-migrate-<migration id>-<sha256 of the user id>-<n>`: the n-th request of that user in
 * that migration. Not derived from the summaries, so a user whose source data changed between
 * an interrupted run and its re-run is not sent as new data: the API refuses a key it already
 * accepted for another body (422), and the user's lines are reported as rejected.
 */
function migrationKeys(id: string) {
  return (userId: string, nth: number) => `${MIGRATE_KEY_PREFIX}-${id}-${createHash('sha256').update(userId).digest('base64url')}-${nth}`;
}

/**
 * Yields `source` mapped through `read`, in order, with up to `window` reads running ahead: the
 * source's latency overlaps the import's sending without memory growing past the window.
 */
async function* readAhead(source: AsyncIterable<InputLine>, window: number, read: (userId: string) => Promise<SourceUser>) {
  const pending: { input: InputLine; result: Promise<SourceUser | Error> }[] = [];
  // A failed read is kept as a value until its turn, so no rejection goes unhandled meanwhile.
  // A line the users file could not give (not UTF-8) is reported as it is; the source is not asked.
  const fetch = (input: InputLine): Promise<SourceUser> =>
    input.failure === undefined ? read(input.text.trim()) : Promise.resolve({ ok: false, errors: input.failure });
  const start = (input: InputLine) => pending.push({ input, result: fetch(input).catch((e: unknown) => e as Error) });
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
 * through the same import (batching, retries, progress, rejected file). A checkpoint file
 * records each user once the API has answered for all of their summaries; a re-run skips those
 * users without reading them again, whatever their source holds now, and sends the others
 * under the keys the interrupted run used (see migrationKeys).
 */
export async function migrateCommand(options: MigrateOptions, io: ImportSessionIo & { stdin: () => Readable }): Promise<number> {
  const fromStdin = options.users === '-';
  const file = fromStdin ? null : await inputFileSize(options.users);
  if (file !== null && 'problem' in file) {
    io.output.err(`tally: ${file.problem}`);
    return IMPORT_EXIT.stopped;
  }
  const counters = newCounters(file?.size ?? null);
  const checkpointPath = options.checkpointPath ?? (fromStdin ? 'migrate.migrated' : `${options.users}.migrated`);
  const checkpoint = await MigrateCheckpoint.open(checkpointPath, options.from, { dryRun: options.dryRun });
  const finishedBefore = checkpoint.size;
  // Lines still unanswered, per user being sent; a user listed twice is sent once.
  const unanswered = new Map<string, number>();
  const listed = new Set<string>();
  let skipped = 0;
  const source = new ApiClient(options.from, options.fromToken, { maxSockets: options.concurrency, timeoutMs: 30_000 });
  const read = sourceReader(source, {
    retryDeadlineMs: options.retryDeadlineMs,
    onRefusal: (reason) => countRefusal(counters, reason),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  async function* summaryLines(): AsyncGenerator<InputLine[]> {
    let line = 0;
    const users = readLines(fromStdin ? io.stdin() : createReadStream(options.users));
    // Finished users are dropped before they are read: the source is not asked again.
    async function* toRead(): AsyncGenerator<InputLine> {
      for await (const input of users) {
        const userId = input.text.trim();
        if (userId !== '' && (checkpoint.has(userId) || listed.has(userId))) {
          skipped++;
          counters.bytes += input.bytes;
          continue;
        }
        listed.add(userId);
        yield input;
      }
    }
    for await (const { input, user } of readAhead(toRead(), options.concurrency, read)) {
      if (!user.ok) {
        yield [{ line: ++line, text: JSON.stringify({ user_id: input.text.trim() }), bytes: input.bytes, failure: user.errors }];
        continue;
      }
      const userId = input.text.trim();
      if (user.lines.length === 0) checkpoint.finish(userId);
      else unanswered.set(userId, user.lines.length);
      // The users file's bytes measure progress: they are counted with the user's last line.
      yield user.lines.map((text, i) => ({ line: ++line, text, bytes: i === user.lines.length - 1 ? input.bytes : 0 }));
    }
  }
  try {
    return await runImportSession(
      'migrate',
      {
        lines: summaryLines(),
        parse: parseNdjsonLine,
        rejectedPath: options.rejectedPath ?? (fromStdin ? 'migrate.rejected.ndjson' : `${options.users}.rejected.ndjson`),
        keys: migrationKeys(checkpoint.id),
        onSettled: (request, outcome) => {
          const left = (unanswered.get(request.userId) ?? 0) - outcome.accepted - outcome.rejected.length;
          if (left > 0) unanswered.set(request.userId, left);
          else {
            unanswered.delete(request.userId);
            checkpoint.finish(request.userId);
          }
        },
        extraReport: () => ({
          json: { usersSkipped: skipped, usersFinished: checkpoint.size, checkpoint: checkpoint.path },
          text:
            `${formatCount(checkpoint.size - finishedBefore)} users finished in this run, ${formatCount(skipped)} skipped (finished before, or listed twice); ` +
            `checkpoint: ${checkpoint.path}`,
        }),
      },
      counters,
      options,
      io,
    );
  } finally {
    source.close();
    await checkpoint.close();
  }
}
