import { UsageError } from './usage-error.js';

/** A parsed `tokens …` command line. */
export type TokensCommand =
  | { command: 'tokens-create'; json: boolean; workspace: string; label: string | null }
  | { command: 'tokens-list'; json: boolean; workspace: string | null }
  | { command: 'tokens-revoke'; json: boolean; id: string };

/** The option values `tokens` commands may see (the whole CLI shares one option table). */
export interface TokensOptionValues {
  id?: string[] | undefined;
  all?: boolean | undefined;
  json?: boolean | undefined;
  yes?: boolean | undefined;
  limit?: string | undefined;
  workspace?: string | undefined;
  label?: string | undefined;
}

/** Same rule as TALLY_TOKENS and the api_tokens repository, checked here for a clear usage error. */
const WORKSPACE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses `tokens create --workspace W [--label L]`, `tokens list [--workspace W]`, `tokens revoke --id ID`. */
export function parseTokensCommand(action: string | undefined, values: TokensOptionValues): TokensCommand {
  const json = values.json === true;
  const ids = values.id ?? [];
  const dlqOnly = values.all !== undefined || values.yes !== undefined || values.limit !== undefined;
  if (dlqOnly) throw new UsageError('--all, --yes and --limit are for dlq commands');
  switch (action) {
    case 'create': {
      if (ids.length > 0) throw new UsageError('tokens create takes --workspace and --label, not --id');
      const workspace = requireWorkspace(values.workspace, 'tokens create needs --workspace NAME');
      return { command: 'tokens-create', json, workspace, label: values.label?.trim() || null };
    }
    case 'list':
      if (ids.length > 0 || values.label !== undefined) throw new UsageError('tokens list takes only --workspace and --json');
      return { command: 'tokens-list', json, workspace: values.workspace === undefined ? null : requireWorkspace(values.workspace, '') };
    case 'revoke': {
      if (values.workspace !== undefined || values.label !== undefined) throw new UsageError('tokens revoke takes only --id');
      if (ids.length !== 1) throw new UsageError('tokens revoke needs exactly one --id ID (the id tokens list shows)');
      const id = (ids[0] ?? '').trim().toLowerCase();
      if (!/^[0-9a-f]{8,64}$/.test(id)) throw new UsageError(`--id must be the hex id tokens list shows, got "${ids[0] ?? ''}"`);
      return { command: 'tokens-revoke', json, id };
    }
    case undefined:
      throw new UsageError('missing tokens command: create, list or revoke');
    default:
      throw new UsageError(`unknown tokens command "${action}": create, list or revoke`);
  }
}

function requireWorkspace(raw: string | undefined, missing: string): string {
  if (raw === undefined || raw.trim() === '') throw new UsageError(missing || '--workspace needs a name');
  const workspace = raw.trim();
  if (!WORKSPACE.test(workspace)) throw new UsageError(`--workspace must be 1-64 of A-Z a-z 0-9 _ . -, got "${workspace}"`);
  return workspace;
}
