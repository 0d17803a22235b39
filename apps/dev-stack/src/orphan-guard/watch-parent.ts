/** How often a child looks for its parent: well inside the 5 s in which orphans must be gone. */
const POLL_MS = 100;

/**
 * Calls `onParentGone` once when this process's parent dies. A SIGKILLed launcher runs no code,
 * so its children must notice by themselves: an orphan is re-parented (to init or a subreaper),
 * which changes `process.ppid`. Polling is portable (Linux and macOS) and costs nothing; the
 * timer is unref'd so it never keeps a process alive.
 */
export function watchParent(onParentGone: () => void, pollMs = POLL_MS): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onParentGone();
  }, pollMs);
  timer.unref();
}
