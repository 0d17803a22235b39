import type { Logger } from '@tally/logger';

/** How a process ends after SIGTERM or SIGINT. */
export const SHUTDOWN_EXIT_CODES = {
  /** Intake stopped and every in-flight piece of work finished. */
  clean: 0,
  /** Stopping failed, or the deadline passed with work in flight, or a second signal came. */
  unclean: 1,
} as const;

export interface GracefulShutdownOptions {
  /** Process name for the log lines ("worker", "ingress", "admin"). */
  name: string;
  logger: Logger;
  /** The bound: past it the process exits non-zero whatever its dependencies are doing. */
  timeoutMs: number;
  /** Stops intake, then finishes in-flight work and closes connections. */
  stop(): Promise<void>;
  /** Ends the process; `process.exit` unless a test watches the calls. */
  exit?: (code: number) => void;
  /** Where signals come from; `process` unless a test sends its own. */
  signals?: Pick<NodeJS.Process, 'on'>;
}

/**
 * One shutdown path for every process. The first SIGTERM or SIGINT runs `stop()`: exit 0 if it
 * finishes within `timeoutMs`, exit 1 at the deadline otherwise — the process exits, it does
 * not ask its clients to hurry, because a frozen Redis or MongoDB never answers a close (and
 * BullMQ's `worker.close(true)` after `worker.close()` returns the first, unforced promise).
 * Work abandoned that way is safe: the queue gives an unfinished job to another worker, the
 * ledger makes its retry harmless, and a request without an answer was never acknowledged.
 * A second signal exits at once, for the operator who will not wait.
 */
export function handleShutdownSignals(options: GracefulShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? process;
  const { logger, name, timeoutMs } = options;
  let stopping = false;

  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, `${name}: second signal, exiting now`);
      exit(SHUTDOWN_EXIT_CODES.unclean);
      return;
    }
    stopping = true;
    logger.info({ signal, timeoutMs }, `${name} stopping: no new work, finishing what is in flight`);
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, `${name}: shutdown deadline reached, exiting with work in flight`);
      exit(SHUTDOWN_EXIT_CODES.unclean);
    }, timeoutMs);
    options.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info(`${name} stopped`);
        exit(SHUTDOWN_EXIT_CODES.clean);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        logger.error({ err }, `${name}: stopping failed`);
        exit(SHUTDOWN_EXIT_CODES.unclean);
      },
    );
  };
  signals.on('SIGTERM', () => onSignal('SIGTERM'));
  signals.on('SIGINT', () => onSignal('SIGINT'));
}
