/**
 * Preloaded (`node --import …/die-with-parent.ts`) into every Node child of `npm start`: when the
 * launcher dies without stopping it (SIGKILL, an IDE's stop button, an OOM kill), the child shuts
 * down as on SIGTERM, and is forced out 2 s later if that shutdown hangs. An orphaned worker would
 * otherwise keep consuming the queue into a store nobody reads.
 */
import { closeSync, openSync } from 'node:fs';
import { watchParent } from './watch-parent.js';

const FORCED_EXIT_MS = 2_000;

watchParent(() => {
  // stdout and stderr lead to the dead launcher: a log line written there now fails (EPIPE) and
  // can wedge the shutdown. Point both at /dev/null (open() takes the lowest free descriptor).
  for (const fd of [1, 2]) {
    closeSync(fd);
    openSync('/dev/null', 'w');
  }
  setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
  process.kill(process.pid, 'SIGTERM');
});
