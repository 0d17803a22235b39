import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Emit } from './command-group.js';
import type { ExportOptions } from './export/export.command.js';
import type { ImportOptions } from './import/import.command.js';
import type { SendOptions } from './import/import-session.js';
import type { MigrateOptions } from './migrate/migrate.command.js';

/** A parsed `import`, `export` or `migrate` command line. */
export type TransferCommand =
  | { command: 'import'; options: ImportOptions }
  | { command: 'export'; options: ExportOptions }
  | { command: 'migrate'; options: MigrateOptions };

/** Where the import goes when `--url` is not given: the local ingress of `npm start`. */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';
export const DEFAULT_CONCURRENCY = 8;

interface RawSendOptions {
  url: string;
  token?: string;
  concurrency: number;
  dryRun?: true;
  json?: true;
  rejected?: string;
  retryDeadline: number;
  progressInterval: number;
}

/** The options import and migrate share: where to send, how hard, and how to report. */
function addSendOptions(command: Command): Command {
  return command
    .addOption(new Option('--token <token>', 'API token of the workspace to import into').env('TALLY_TOKEN'))
    .addOption(new Option('--url <url>', 'base URL of the Tally API').default(DEFAULT_API_URL).argParser(parseUrl))
    .addOption(new Option('--concurrency <n>', 'requests in flight at once').default(DEFAULT_CONCURRENCY).argParser(positiveInt))
    .addOption(new Option('--dry-run', 'validate every line with the API’s own rules; send nothing'))
    .addOption(new Option('--rejected <file>', 'where rejected lines go (default: <input>.rejected.ndjson)'))
    .addOption(new Option('--retry-deadline <seconds>', 'stop when one request is refused this long').default(300).argParser(positiveInt))
    .addOption(
      new Option('--progress-interval <seconds>', 'seconds between progress lines off a terminal').default(5).argParser(positiveSeconds),
    )
    .addOption(new Option('--json', 'the final report as one JSON object on stdout'));
}

function sendOptions(raw: RawSendOptions, command: Command): SendOptions {
  const token = raw.token?.trim() ?? '';
  if (token === '' && raw.dryRun !== true) command.error('--token <token> (or TALLY_TOKEN) is required, except with --dry-run');
  return {
    url: raw.url,
    token,
    concurrency: raw.concurrency,
    dryRun: raw.dryRun === true,
    retryDeadlineMs: raw.retryDeadline * 1000,
    progressIntervalMs: raw.progressInterval * 1000,
    json: raw.json === true,
  };
}

const EXIT_CODES =
  '\nExit codes: 0 every line accepted; 3 finished, some lines rejected (see the rejected file);\n1 stopped before the end (run the same command again to resume); 2 usage error.';

/** Registers `import`, `export` and `migrate`; each hands its parsed options to `emit`. */
export function registerTransferCommands(program: Command, emit: Emit<TransferCommand>): void {
  addSendOptions(
    program
      .command('import')
      .description('load summaries from NDJSON or CSV through the public API; safe to re-run')
      .argument('<file>', 'NDJSON or CSV file of summaries, or - for stdin')
      .addOption(new Option('--format <format>', 'input format (default: from the file name or first line)').choices(['ndjson', 'csv'])),
  )
    .addHelpText(
      'after',
      '\nEach line: {"user_id","event_name","count","first","last"} (times in Unix seconds), or a CSV\n' +
        'header naming those columns. A re-run of an interrupted import counts nothing twice.' +
        EXIT_CODES,
    )
    .action((input: string, raw: RawSendOptions & { format?: 'ndjson' | 'csv' }, command: Command) =>
      emit({
        command: 'import',
        options: { ...sendOptions(raw, command), input, format: raw.format ?? null, rejectedPath: raw.rejected ?? null },
      }),
    );

  program
    .command('export')
    .description('stream a workspace’s summaries from MongoDB as NDJSON that import reads')
    .addOption(new Option('--workspace <name>', 'workspace to export').makeOptionMandatory())
    .addOption(new Option('--user <user-id>', 'only this user'))
    .addOption(new Option('--since <date>', 'only summaries last seen at or after this ISO date or Unix time').argParser(parseDate))
    .addOption(new Option('--out <file>', 'write here instead of stdout'))
    .addOption(
      new Option('--progress-interval <seconds>', 'seconds between progress lines off a terminal').default(5).argParser(positiveSeconds),
    )
    .addHelpText('after', '\nReads MONGO_URL and MONGO_DB. Progress and the final line go to stderr; the data to stdout or --out.')
    .action((raw: { workspace: string; user?: string; since?: Date; out?: string; progressInterval: number }) =>
      emit({
        command: 'export',
        options: {
          workspace: raw.workspace,
          ...(raw.user !== undefined ? { userId: raw.user } : {}),
          ...(raw.since !== undefined ? { since: raw.since } : {}),
          out: raw.out ?? null,
          progressIntervalMs: raw.progressInterval * 1000,
        },
      }),
    );

  addSendOptions(
    program
      .command('migrate')
      .description('copy listed users’ summaries from an Intercom-compatible API into this Tally')
      .addOption(
        new Option('--from <url>', 'base URL of the source (https://api.intercom.io, another Tally)')
          .makeOptionMandatory()
          .argParser(parseUrl),
      )
      .addOption(new Option('--from-token <token>', 'access token for the source').env('TALLY_FROM_TOKEN').makeOptionMandatory())
      .addOption(new Option('--users <file>', 'user ids to copy, one per line (- for stdin)').makeOptionMandatory())
      .addOption(
        new Option(
          '--checkpoint <file>',
          'users finished so far, skipped by a re-run (default: USERS.migrated, migrate.migrated for stdin)',
        ),
      ),
  )
    .addHelpText('after', EXIT_CODES)
    .action((raw: RawSendOptions & { from: string; fromToken: string; users: string; checkpoint?: string }, command: Command) =>
      emit({
        command: 'migrate',
        options: {
          ...sendOptions(raw, command),
          from: raw.from,
          fromToken: raw.fromToken,
          users: raw.users,
          rejectedPath: raw.rejected ?? null,
          checkpointPath: raw.checkpoint ?? null,
        },
      }),
    );
}

function positiveInt(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return Number(raw);
}

/** Seconds, fractions allowed (`0.5`), at least a tenth. */
function positiveSeconds(raw: string): number {
  const seconds = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || seconds < 0.1) throw new InvalidArgumentError('expected seconds, at least 0.1.');
  return seconds;
}

function parseUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '') return raw;
  } catch {
    // described below
  }
  throw new InvalidArgumentError("expected the API's base URL: http:// or https://, with a path if it is served under one, and no query.");
}

/** `2024-01-31`, `2024-01-31T12:00:00Z` or Unix seconds. */
export function parseDate(raw: string): Date {
  const date = /^\d+$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected an ISO date (2024-01-31) or Unix seconds.');
  return date;
}
