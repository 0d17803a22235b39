import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Loads `.env` from the working directory (the repo root under `npm start` and `npm run …`) into
 * `process.env` if the file exists. Variables already set win, as with `node --env-file`: the
 * shell and the deployment override the file. Called by each entry point's main(), never at import.
 * (Node 20's `--env-file-if-exists` would print a notice on every run without a `.env`.)
 *
 * @returns the path loaded, or `null` when there is no `.env`.
 */
export function loadDotEnv(dir = process.cwd()): string | null {
  const path = join(dir, '.env');
  if (!existsSync(path)) return null;
  process.loadEnvFile(path);
  return path;
}
