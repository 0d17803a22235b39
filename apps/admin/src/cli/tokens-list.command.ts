import type { ApiTokensRepository, ApiTokenView } from '@tally/store';
import type { CommandOutput } from './output.js';
import { countOf, formatAge, formatCount, renderTable, truncate } from './text-format.js';

/** Width of the label column. */
const LABEL_WIDTH = 40;

/** `tally tokens list`: issued tokens (revoked ones marked), oldest first; never a token or its full hash. */
export async function tokensList(
  tokens: ApiTokensRepository,
  options: { json: boolean; workspace: string | null },
  output: CommandOutput,
  now: () => number = Date.now,
): Promise<ApiTokenView[]> {
  const listed = await tokens.list(options.workspace ?? undefined);
  if (options.json) output.out(JSON.stringify({ tokens: listed }));
  else for (const line of render(listed, options.workspace, now())) output.out(line);
  return listed;
}

function render(listed: readonly ApiTokenView[], workspace: string | null, now: number): string[] {
  if (listed.length === 0) {
    // A newcomer's first `tokens list` after `npm start`, whose token comes from TALLY_TOKENS.
    const none = workspace === null ? 'no tokens in api_tokens' : `no tokens for workspace ${workspace} in api_tokens`;
    return [`${none} (tokens given to the ingress in TALLY_TOKENS are accepted too, and not listed here)`];
  }
  const rows = listed.map((t) => [
    t.id,
    t.workspace,
    formatAge(now - t.createdAt.getTime()),
    t.revokedAt === null ? 'active' : `revoked ${formatAge(now - t.revokedAt.getTime())} ago`,
    t.label === null ? '' : truncate(t.label, LABEL_WIDTH),
  ]);
  const active = listed.filter((t) => t.revokedAt === null).length;
  const summary = `${countOf(listed.length, 'token')}, ${formatCount(active)} active`;
  // trimEnd: a token without a label would leave the padding before an empty last column.
  const table = renderTable(['ID', 'WORKSPACE', 'AGE', 'STATUS', 'LABEL'], rows, new Set([2])).map((line) => line.trimEnd());
  return [...table, '', summary];
}
