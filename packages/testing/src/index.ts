/**
 * Test fixtures for every integration and end-to-end test in Tally: unique names, polling,
 * private Redis and MongoDB servers, and the apps as real processes. Everything started here is
 * stopped by `stopAll()` and killed if the test process exits, so a run leaves no orphans.
 */
export { freePort, isPortFree } from './free-port.js';
export { isAlive } from './is-alive.js';
export { uniqueName } from './unique-name.js';
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait-for.js';
export { startRedis, type RedisServer, type StartRedisOptions } from './redis-server.js';
export { findRedisServer, RedisServerMissingError } from './redis-binary.js';
export { pingRedis } from './redis-ping.js';
export { startMongo, type MongoServer, type StartMongoOptions } from './mongo-server.js';
export { startApp, waitForLog, type AppName, type AppProcess, type StartAppOptions } from './app-process.js';
export {
  startProcess,
  formatExit,
  type ManagedProcess,
  type ProcessExit,
  type StartProcessOptions,
} from './managed-process.js';
export { parseLogLine, LOG_LEVEL_NAMES, type LogRecord } from './log-line.js';
export { stopAll } from './process-registry.js';
export { repoRoot, tsEntryCommand } from './repo-root.js';
