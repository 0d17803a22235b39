import { type Command, InvalidArgumentError, Option } from 'commander';
import { collect, type Emit } from './command-group.js';

/** A parsed `tokens …` command line. */
export type TokensCommand =
  | { command: 'tokens-create'; json: boolean; workspace: string; label: string | null }
  | { command: 'tokens-list'; json: boolean; workspace: string | null }
  | { command: 'tokens-revoke'; json: boolean; id: string };

/** Same rule as TALLY_TOKENS and the api_tokens repository, checked here for a clear usage error. */
const WORKSPACE = /^[A-Za-z0-9_.-]{1,64}$/;

const jsonOption = () => new Option('--json', 'machine-readable output on stdout');
const workspaceOption = (description: string) => new Option('--workspace <name>', description).argParser(parseWorkspace);

/** Registers `tokens create|list|revoke` on the program; each leaf hands its parsed command to `emit`. */
export function registerTokensCommands(program: Command, emit: Emit<TokensCommand>): void {
  const tokens = program
    .command('tokens')
    .description('API tokens in MongoDB (api_tokens; only their sha256 is stored)')
    .addHelpText(
      'after',
      '\nEvery ingress replica reloads api_tokens every TOKEN_REFRESH_MS (10 s by default), alongside\n' + 'its TALLY_TOKENS.',
    );

  tokens
    .command('create')
    .description('issue a token; it is printed once, alone on stdout, and cannot be shown again')
    .addOption(workspaceOption('workspace the token writes to and reads from').makeOptionMandatory())
    .addOption(new Option('--label <text>', 'a note for tokens list (who or what uses it)'))
    .addOption(jsonOption())
    .action((options: { workspace: string; label?: string; json?: true }) =>
      emit({ command: 'tokens-create', json: options.json === true, workspace: options.workspace, label: options.label?.trim() || null }),
    );

  tokens
    .command('list')
    .description('show tokens (id, workspace, age, active or revoked, label)')
    .addOption(workspaceOption('only this workspace'))
    .addOption(jsonOption())
    .action((options: { workspace?: string; json?: true }) =>
      emit({ command: 'tokens-list', json: options.json === true, workspace: options.workspace ?? null }),
    );

  tokens
    .command('revoke')
    .description('revoke the token with this id (as tokens list shows it)')
    .addOption(new Option('--id <id>', 'the token id').argParser(collect))
    .addOption(jsonOption())
    .action((options: { id?: string[]; json?: true }, command: Command) => {
      if (options.id?.length !== 1) command.error('tokens revoke needs exactly one --id <id> (the id tokens list shows)');
      const raw = options.id[0] ?? '';
      const id = raw.trim().toLowerCase();
      if (!/^[0-9a-f]{8,64}$/.test(id)) command.error(`--id must be the hex id tokens list shows, got "${raw}"`);
      emit({ command: 'tokens-revoke', json: options.json === true, id });
    });
}

function parseWorkspace(raw: string): string {
  const workspace = raw.trim();
  if (workspace === '') throw new InvalidArgumentError('expected a workspace name.');
  if (!WORKSPACE.test(workspace)) throw new InvalidArgumentError('expected 1-64 of A-Z a-z 0-9 _ . -');
  return workspace;
}
