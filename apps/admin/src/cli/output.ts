/**
 * Where a command writes. Results go to `out` (stdout, so `--json | jq` works); progress, warnings
 * and per-job problems go to `err`. Tests pass a recorder instead of the process streams.
 */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The process's stdout and stderr, one line per call. */
export const processOutput: CommandOutput = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

/** Collects lines in memory, for tests. */
export function recordingOutput(): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => void stdout.push(line), err: (line) => void stderr.push(line) };
}
