/**
 * Thrown for anything the user typed wrong. The CLI prints `usage` (one line: the command's
 * synopsis) and then the message, last, where the eye lands; exit 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The synopsis of the command the user was typing, e.g. `npm run tally -- dlq drop [options]`. */
    readonly usage = '',
  ) {
    super(message);
  }
}
