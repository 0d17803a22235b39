/**
 * What a command group (dlq, tokens, …) needs to register itself on the program. A leaf command's
 * action does not run anything: it hands its parsed, validated command line to `emit`, and cli.ts
 * dispatches it. Parsing stays a pure function that tests call without Redis or MongoDB.
 */
export type Emit<C> = (command: C) => void;

/** Commander argParser for an option that may be repeated: `--id 1 --id 2` → ['1', '2']. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
