/** One progress line, rewritten in place on a terminal and printed once per step elsewhere (CI logs). */
export function progressLine(label: string): (requests: number, elapsedMs: number) => void {
  const tty = process.stdout.isTTY;
  return (requests, elapsedMs) => {
    const rate = Math.round((requests / Math.max(elapsedMs, 1)) * 1000);
    const line = `  ${label}: ${requests.toLocaleString('en')} answers, ${rate.toLocaleString('en')} req/s, ${(elapsedMs / 1000).toFixed(0)} s`;
    if (tty) process.stdout.write(`\r${line}\u001b[K`);
  };
}

/** Ends a step's progress line with its outcome. */
export function stepDone(label: string, outcome: string): void {
  if (process.stdout.isTTY) process.stdout.write('\r\u001b[K');
  console.log(`  ${label}: ${outcome}`);
}
