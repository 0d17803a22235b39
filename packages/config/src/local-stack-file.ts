import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What `npm start` writes to `.tally/stack.json` while it runs, so that `npm run tally` talks to
 * that stack without being told where it is, and never to another Redis that happens to answer on
 * 6379. Removed when the launcher stops; a file whose launcher died is ignored.
 */
export interface LocalStackFile {
  /** pid of the launcher that wrote it. */
  pid: number;
  redisUrl: string;
  mongoUrl: string;
  mongoDb: string;
  queuePrefix: string;
  apiUrl: string;
}

/** Writes the file readable by this user only: it may hold MongoDB credentials from MONGO_URL. */
export function writeLocalStackFile(path: string, stack: LocalStackFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function removeLocalStackFile(path: string): void {
  rmSync(path, { force: true });
}

/** The running stack described by `path`, or `null` when there is none (no file, or its launcher is gone). */
export function readLocalStackFile(path: string): LocalStackFile | null {
  let stack: LocalStackFile;
  try {
    stack = JSON.parse(readFileSync(path, 'utf8')) as LocalStackFile;
  } catch {
    return null;
  }
  if (typeof stack.pid !== 'number' || typeof stack.redisUrl !== 'string' || !isAlive(stack.pid)) return null;
  return stack;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
