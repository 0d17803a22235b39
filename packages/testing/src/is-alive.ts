import { existsSync, readFileSync } from 'node:fs';

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * True while a process with this pid is running. An exited process its parent has not reaped
 * yet (a zombie) is not running: an orphan's new parent, PID 1, reaps it when it gets to it,
 * and on some machines that is only every 2 s, so `kill(pid, 0)`, which still finds a zombie,
 * said "alive" for up to 2 s after the process had exited.
 */
export function isAlive(pid: number): boolean {
  if (HAS_PROC) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The state follows the parenthesised command name, which may itself hold ") ".
      return stat[stat.lastIndexOf(')') + 2] !== 'Z';
    } catch {
      return false; // no such process
    }
  }
  try {
    process.kill(pid, 0); // signal 0 checks without sending anything
    return true;
  } catch {
    return false;
  }
}
