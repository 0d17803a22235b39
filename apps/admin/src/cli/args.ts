import { type Command, CommanderError } from 'commander';
import { buildProgram, type RunnableCommand } from './program.js';
import { UsageError } from './usage-error.js';

export { DEFAULT_LIST_LIMIT, type DlqCommand, type DlqTarget } from './dlq-args.js';
export type { TokensCommand } from './tokens-args.js';
export type { TransferCommand } from './transfer-args.js';
export { UsageError };

/** A parsed command line: a command to run, or help the user asked for (to print, exit 0). */
export type CliCommand = RunnableCommand | { command: 'help'; text: string };

/**
 * Parses the command line with the program of program.ts. Anything the user typed wrong — an
 * unknown command or option, a missing or conflicting option, a bad value, no command at all —
 * becomes a UsageError carrying the synopsis of the command they were typing.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed: RunnableCommand | undefined;
  const help: string[] = [];
  const program = buildProgram((command) => (parsed = command), {
    writeOut: (text) => help.push(text),
    writeErr: () => undefined, // usage errors are reported by the caller, short
    outputError: () => undefined,
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return { command: 'help', text: help.join('').trimEnd() };
    const typing = commandBeingTyped(program, argv);
    const synopsis = program.createHelp().commandUsage(typing);
    // Commander answers a group without its subcommand (`dlq`) with its whole help, as an error.
    if (error.code === 'commander.help') throw new UsageError(missingSubcommand(typing), synopsis);
    throw new UsageError(error.message.replace(/^error: /, ''), synopsis);
  }
  if (parsed === undefined) throw new Error('tally: a command parsed without an action (a bug in program.ts)');
  return parsed;
}

/** The deepest command named by the leading words of argv (`dlq drop --all` → drop). */
function commandBeingTyped(program: Command, argv: readonly string[]): Command {
  let current = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const next = current.commands.find((command) => command.name() === word);
    if (next === undefined) break;
    current = next;
  }
  return current;
}

function missingSubcommand(group: Command): string {
  const names = group.commands.map((command) => command.name()).filter((name) => name !== 'help');
  const choices = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return group.parent === null ? `missing command: ${choices}` : `missing ${group.name()} command: ${choices}`;
}
