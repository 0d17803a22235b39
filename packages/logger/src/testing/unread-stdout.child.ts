/**
 * A process that logs far more than a pipe holds while nobody reads its stdout, then reports on
 * stderr how much memory it holds; with `one-line`, logs a single line and stays up; with
 * `killed-after`, logs and is SIGKILLed 1 s later, long before its 10 s write timer (stdout-backpressure.test.ts).
 */
import { createLogger, flushLogs } from '../create-logger.js';

// killed-after: a timer that would write held lines only after 10 s, so what reaches stdout
// before the SIGKILL was written at once.
const logger = createLogger({ name: 'stalled-stdout', ...(process.argv[2] === 'killed-after' ? { flushEveryMs: 10_000 } : {}) });
if (process.argv[2] === 'one-line') {
  logger.info('a quiet service logs once');
  setInterval(() => {}, 1000);
} else if (process.argv[2] === 'killed-after') {
  // What a process says just before it is SIGKILLed: a ready line it flushed, then a warning.
  logger.info('ready');
  flushLogs(logger);
  logger.info('in between');
  logger.warn('something is wrong');
  // Long enough for the writes already started to finish on a loaded machine; far shorter than
  // the 10 s timer.
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1000);
} else {
  flood();
}

function flood(): void {
  const line = { method: 'POST', route: '/events/summaries', status: 200, detail: 'x'.repeat(1000) };
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 150_000; i++) logger.info(line, 'request'); // about 170 MB; a pipe holds 64 KiB
  process.stderr.write(`grew ${process.memoryUsage().rss - before}\n`);
  setInterval(() => {}, 1000); // stays up until the test kills it
}
