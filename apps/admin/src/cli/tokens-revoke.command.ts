import type { ApiTokensRepository, RevokeOutcome } from '@tally/store';
import type { CommandOutput } from './output.js';

/**
 * `tally tokens revoke`: marks a token revoked. Ingress replicas drop it at their next refresh
 * (TOKEN_REFRESH_MS); one that cannot reach MongoDB keeps accepting it until it can.
 */
export async function tokensRevoke(
  tokens: ApiTokensRepository,
  options: { json: boolean; id: string },
  output: CommandOutput,
): Promise<RevokeOutcome> {
  const outcome = await tokens.revoke(options.id);
  if (options.json) {
    output.out(JSON.stringify(outcome));
    return outcome;
  }
  switch (outcome.status) {
    case 'revoked':
      output.out(`revoked token ${outcome.token.id} of workspace ${outcome.token.workspace}`);
      output.err('ingress replicas refuse it within TOKEN_REFRESH_MS (10 s by default)');
      break;
    case 'already-revoked':
      output.out(`token ${outcome.token.id} of workspace ${outcome.token.workspace} was already revoked`);
      break;
    case 'not-found':
      output.err(`tally: no token with id ${options.id} (see tokens list)`);
      break;
    case 'ambiguous':
      output.err(`tally: id ${options.id} matches ${outcome.matches} tokens: give more of it`);
      break;
  }
  return outcome;
}
