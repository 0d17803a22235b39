/**
 * Test fixtures for every integration and end-to-end test in Tally: unique names, polling,
 * private Redis and MongoDB servers, and the apps as real processes. Everything started here is
 * stopped by `stopAll()` and killed if the test process exits, so a run leaves no orphans.
 */

export { type AppName, type AppProcess, type StartAppOptions, startApp, waitForLog } from './app-process.js';
export { type FaultProxy, type InjectedServerError, startFaultProxy } from './fault-proxy.js';
export { type ExecutableLookup, findExecutable } from './find-executable.js';
export { freePort, isPortFree } from './free-port.js';
export { isAlive } from './is-alive.js';
export { LOG_LEVEL_NAMES, type LogRecord, parseLogLine } from './log-line.js';
export {
  formatExit,
  type ManagedProcess,
  type ProcessExit,
  type StartProcessOptions,
  startProcess,
} from './managed-process.js';
export { type MongoServer, type StartMongoOptions, startMongo } from './mongo-server.js';
export { stopAll } from './process-registry.js';
export { findRedisServer, RedisServerMissingError } from './redis-binary.js';
export { type ClusterNode, type RedisCluster, type StartRedisClusterOptions, startRedisCluster, withClient } from './redis-cluster.js';
export { pingRedis } from './redis-ping.js';
export { type RedisServer, type StartRedisOptions, startRedis } from './redis-server.js';
export { repoRoot, tsEntryCommand } from './repo-root.js';
export { uniqueName } from './unique-name.js';
export { type WaitForOptions, WaitForTimeoutError, waitFor } from './wait-for.js';
export { type CountableQueue, type QuiescenceOptions, waitForQuiescence } from './wait-for-quiescence.js';
