import { readFileSync } from 'node:fs';

/**
 * The spec tests known to fail against the emulator, from known-failures.txt beside this file:
 * one `suite/file.json: test description` per line, grouped under `#` comments saying why.
 * The conformance run fails only on a failure not listed here.
 */
export function readAllowance(): Set<string> {
  const text = readFileSync(new URL('./known-failures.txt', import.meta.url), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}
