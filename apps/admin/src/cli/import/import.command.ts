import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { newCounters } from './import-counters.js';
import { IMPORT_EXIT, type ImportSessionIo, runImportSession, type SendOptions } from './import-session.js';
import { inputFileSize } from './input-file.js';
import { formatFromName, type InputFormat, lineParser } from './input-format.js';
import { readLineChunks } from './line-source.js';

/** `tally import FILE|-`: what the command line decided. */
export interface ImportOptions extends SendOptions {
  /** A path, or `-` for stdin. */
  input: string;
  /** Forced format; null reads it from the file name or, failing that, the first line. */
  format: InputFormat | null;
  /** Where rejected lines go; default `FILE.rejected.ndjson` (`import.rejected.ndjson` for stdin). */
  rejectedPath: string | null;
}

/**
 * Imports an NDJSON or CSV file of summaries through the public API (see import-session.ts for
 * the report and exit codes, request-batcher.ts for how a re-run resumes).
 */
export async function importCommand(options: ImportOptions, io: ImportSessionIo & { stdin: () => Readable }): Promise<number> {
  const fromStdin = options.input === '-';
  const file = fromStdin ? null : await inputFileSize(options.input);
  if (file !== null && 'problem' in file) {
    io.output.err(`tally: ${file.problem}`);
    return IMPORT_EXIT.stopped;
  }
  // Large reads: the default 64 KiB chunk meant a read call and a pass of the line splitter per ~700 lines.
  const stream = fromStdin ? io.stdin() : createReadStream(options.input, { highWaterMark: 1 << 20 });
  const format = options.format ?? (fromStdin ? null : formatFromName(options.input));
  return runImportSession(
    'import',
    {
      lines: readLineChunks(stream),
      parse: lineParser(format),
      rejectedPath: options.rejectedPath ?? (fromStdin ? 'import.rejected.ndjson' : `${options.input}.rejected.ndjson`),
    },
    newCounters(file?.size ?? null),
    options,
    io,
  );
}
