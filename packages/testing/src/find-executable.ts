import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Why a program the tests need could not be found; the caller turns it into install advice. */
export type ExecutableLookup = { path: string } | { missing: 'override-not-executable'; override: string } | { missing: 'not-on-path' };

/**
 * A program the tests drive: the path in `env[overrideVar]` if set (it must be executable), else
 * the first of `names` found on `PATH`.
 */
export function findExecutable(overrideVar: string, names: readonly string[], env: NodeJS.ProcessEnv = process.env): ExecutableLookup {
  const override = env[overrideVar];
  if (override !== undefined && override !== '') {
    return isExecutable(override) ? { path: override } : { missing: 'override-not-executable', override };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return { path: candidate };
    }
  }
  return { missing: 'not-on-path' };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
