import { Command, type OutputConfiguration } from 'commander';
import type { Emit } from './command-group.js';
import { type DlqCommand, registerDlqCommands } from './dlq-args.js';
import { registerTokensCommands, type TokensCommand } from './tokens-args.js';
import { registerTransferCommands, type TransferCommand } from './transfer-args.js';

/** Every command line the CLI can run, as parsed by the program below. */
export type RunnableCommand = DlqCommand | TokensCommand | TransferCommand;

const ENVIRONMENT = `
Environment:
  REDIS_URL     dlq: Redis to connect to (default redis://127.0.0.1:6379)
  QUEUE_PREFIX  dlq: BullMQ key prefix of the deployment (default tally)
  MONGO_URL     tokens, export: MongoDB to connect to (required)
  MONGO_DB      tokens, export: database to use (default tally)
  TALLY_TOKEN   import, migrate: API token, when --token is not given

Output: results on stdout, progress and problems on stderr; run it as \`npm run -s tally -- …\`
so that npm's own banner stays out of a piped --json.

Exit codes: 0 done; 1 some jobs could not be handled, no such token, Redis or MongoDB is
unreachable, or an import stopped before the end; 2 usage error; 3 an import finished with some
lines rejected; 78 invalid environment.`;

/**
 * The `tally` command tree. Each group declares its own subcommands and options (help is generated
 * from them); the program never exits the process (exitOverride) and writes only through `output`,
 * so parsing is testable in-process.
 */
export function buildProgram(emit: Emit<RunnableCommand>, output: OutputConfiguration): Command {
  const program = new Command('npm run tally --')
    .description('Operate a Tally deployment from a terminal.')
    .exitOverride()
    .configureOutput(output)
    .showSuggestionAfterError()
    .addHelpText('after', ENVIRONMENT);
  // Subcommands copy these settings when they are created, so they come first.
  registerDlqCommands(program, emit);
  registerTokensCommands(program, emit);
  registerTransferCommands(program, emit);
  return program;
}
