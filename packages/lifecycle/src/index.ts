/**
 * Process lifecycle shared by every Tally process: one shutdown path, with a deadline that
 * really ends the process.
 */

export { type GracefulShutdownOptions, handleShutdownSignals, SHUTDOWN_EXIT_CODES } from './graceful-shutdown.js';
