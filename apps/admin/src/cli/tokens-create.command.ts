import type { ApiTokensRepository } from '@tally/store';
import type { CommandOutput } from './output.js';

/**
 * `tally tokens create`: issues a token for a workspace. The token goes alone to stdout, so
 * `TOKEN=$(npm run -s tally -- tokens create …)` captures it; the notes go to stderr. It is shown
 * this once: MongoDB keeps only its sha256.
 */
export async function tokensCreate(
  tokens: ApiTokensRepository,
  options: { json: boolean; workspace: string; label: string | null },
  output: CommandOutput,
): Promise<{ id: string }> {
  const { token, id } = await tokens.create(options.workspace, options.label === null ? {} : { label: options.label });
  if (options.json) {
    output.out(JSON.stringify({ id, workspace: options.workspace, label: options.label, token }));
  } else {
    output.out(token);
    const label = options.label === null ? '' : ` (label "${options.label}")`;
    output.err(`created token ${id} for workspace ${options.workspace}${label}`);
  }
  output.err('this is the only time the token is shown: store it now; Tally keeps only its sha256');
  output.err('ingress replicas accept it within TOKEN_REFRESH_MS (10 s by default)');
  return { id };
}
