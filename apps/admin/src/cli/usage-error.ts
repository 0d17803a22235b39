/** Thrown for anything the user typed wrong; the CLI prints it with the usage text, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
