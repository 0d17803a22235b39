import { type Command, InvalidArgumentError, Option } from 'commander';
import { collect, type Emit } from './command-group.js';

/** Which failed jobs a retry or drop acts on. */
export type DlqTarget = { kind: 'ids'; ids: string[] } | { kind: 'all' };

/** A parsed `dlq …` command line. */
export type DlqCommand =
  | { command: 'dlq-list'; json: boolean; limit: number }
  | { command: 'dlq-retry'; json: boolean; target: DlqTarget }
  | { command: 'dlq-drop'; json: boolean; target: DlqTarget };

/** Default number of jobs `dlq list` shows: a screenful. */
export const DEFAULT_LIST_LIMIT = 50;

const jsonOption = () => new Option('--json', 'machine-readable output on stdout (progress stays on stderr)');
const idOption = (verb: string) => new Option('--id <job-id>', `${verb} this job (repeat for several)`).argParser(collect);
const allOption = (what: string) => new Option('--all', what).conflicts('id');

/** Registers `dlq list|retry|drop` on the program; each leaf hands its parsed command to `emit`. */
export function registerDlqCommands(program: Command, emit: Emit<DlqCommand>): void {
  const dlq = program
    .command('dlq')
    .description("dead-letter operations on the summaries queue (BullMQ's failed set)")
    .addHelpText(
      'after',
      '\nA job lands in the failed set when its payload is malformed or when it failed every retry\n' +
        '(about 16 hours of MongoDB outage). Retrying is safe: the ingest ledger applies a job at most\n' +
        'once, so re-driving a job that was in fact applied changes nothing.',
    );

  dlq
    .command('list')
    .description('show failed jobs, newest failure first')
    .addOption(new Option('--limit <n>', 'show at most n jobs (0 = all)').argParser(parseLimit).default(DEFAULT_LIST_LIMIT))
    .addOption(jsonOption())
    .action((options: { limit: number; json?: true }) => emit({ command: 'dlq-list', json: options.json === true, limit: options.limit }));

  dlq
    .command('retry')
    .description('move failed jobs back to the queue (a fresh set of attempts each)')
    .usage('(--id <job-id>... | --all) [--json]')
    .addOption(idOption('retry'))
    .addOption(allOption('re-drive every job that is in the failed set right now'))
    .addOption(jsonOption())
    .action((options: TargetOptions, command: Command) =>
      emit({ command: 'dlq-retry', json: options.json === true, target: target(options, command) }),
    );

  dlq
    .command('drop')
    .description('delete failed jobs for good')
    .usage('(--id <job-id>... | --all --yes) [--json]')
    .addOption(idOption('delete'))
    .addOption(allOption('delete every job that is in the failed set right now (needs --yes)'))
    .addOption(new Option('--yes', 'confirm --all').conflicts('id'))
    .addOption(jsonOption())
    .action((options: TargetOptions & { yes?: true }, command: Command) => {
      const parsed = target(options, command);
      if (parsed.kind === 'all' && options.yes !== true) {
        command.error('dlq drop --all deletes every failed job for good: add --yes to confirm');
      }
      emit({ command: 'dlq-drop', json: options.json === true, target: parsed });
    });
}

interface TargetOptions {
  id?: string[];
  all?: true;
  json?: true;
}

function target(options: TargetOptions, command: Command): DlqTarget {
  if (options.all === true) return { kind: 'all' };
  const ids = options.id ?? [];
  if (ids.length === 0) command.error(`dlq ${command.name()} needs --id <job-id> or --all`);
  if (ids.some((id) => id.trim() === '')) command.error('--id needs a job id');
  return { kind: 'ids', ids: [...new Set(ids)] };
}

function parseLimit(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new InvalidArgumentError('expected a whole number (0 = all).');
  return Number(raw);
}
