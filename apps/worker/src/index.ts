/**
 * The worker as a library, for entry points other than main.ts (test fixtures that inject
 * faults through {@link WorkerHooks}).
 */

export { runWorker, type WorkerHooks } from './run-worker.js';
