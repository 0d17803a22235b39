import { runWorker } from './run-worker.js';

runWorker().catch((error: unknown) => {
  process.stderr.write(`worker: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
