import { parseArgs as parseNodeArgs } from 'node:util';
import { parseTokensCommand, type TokensCommand } from './tokens-args.js';
import { UsageError } from './usage-error.js';

export { UsageError };

/** Which failed jobs a retry or drop acts on. */
export type DlqTarget = { kind: 'ids'; ids: string[] } | { kind: 'all' };

/** A parsed command line. */
export type CliCommand =
  | { command: 'help' }
  | { command: 'dlq-list'; json: boolean; limit: number }
  | { command: 'dlq-retry'; json: boolean; target: DlqTarget }
  | { command: 'dlq-drop'; json: boolean; target: DlqTarget }
  | TokensCommand;

const OPTIONS = {
  id: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  limit: { type: 'string' },
  workspace: { type: 'string' },
  label: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Default number of jobs `dlq list` shows: a screenful. */
export const DEFAULT_LIST_LIMIT = 50;

/**
 * Parses `dlq list|retry|drop [--id ID…|--all] [--json] [--yes] [--limit N]` and
 * `tokens create|list|revoke …` (see tokens-args.ts).
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) return { command: 'help' };
  const [group, action, ...extra] = positionals;
  if (group !== 'dlq' && group !== 'tokens') throw new UsageError(`unknown command "${group}" (dlq or tokens)`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (group === 'tokens') return parseTokensCommand(action, values);
  if (values.workspace !== undefined || values.label !== undefined) throw new UsageError('--workspace and --label are for tokens commands');
  const json = values.json === true;
  const ids = values.id ?? [];

  switch (action) {
    case 'list':
      if (ids.length > 0 || values.all === true || values.yes === true) throw new UsageError('dlq list takes only --limit and --json');
      return { command: 'dlq-list', json, limit: parseLimit(values.limit) };
    case 'retry':
    case 'drop': {
      if (values.limit !== undefined) throw new UsageError(`--limit is for dlq list, not dlq ${action}`);
      const target = parseTarget(ids, values.all === true, action);
      if (action === 'retry') {
        if (values.yes === true) throw new UsageError('--yes is for dlq drop --all');
        return { command: 'dlq-retry', json, target };
      }
      if (target.kind === 'all' && values.yes !== true) {
        throw new UsageError('dlq drop --all deletes every failed job for good: add --yes to confirm');
      }
      return { command: 'dlq-drop', json, target };
    }
    case undefined:
      throw new UsageError('missing dlq command: list, retry or drop');
    default:
      throw new UsageError(`unknown dlq command "${action}": list, retry or drop`);
  }
}

function parseTarget(ids: string[], all: boolean, action: string): DlqTarget {
  if (all && ids.length > 0) throw new UsageError(`dlq ${action}: give --id or --all, not both`);
  if (all) return { kind: 'all' };
  if (ids.length === 0) throw new UsageError(`dlq ${action} needs --id JOBID or --all`);
  const blank = ids.find((id) => id.trim() === '');
  if (blank !== undefined) throw new UsageError('--id needs a job id');
  return { kind: 'ids', ids: [...new Set(ids)] };
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIST_LIMIT;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--limit must be a whole number, got "${raw}"`);
  return Number(raw);
}
