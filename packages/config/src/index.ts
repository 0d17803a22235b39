/**
 * Configuration: one zod schema per concern, merged per app. `loadConfig` reports every problem
 * at once and returns a deep-frozen object; nothing here reads `process.env` at import time.
 */

export type { TokenEntry } from './common.schema.js';
export { dedupEnv, eventsEnv, logEnv, metricsEnv, mongoEnv, parseTokens, tokensEnv } from './common.schema.js';
export { loadDotEnv } from './dot-env.js';
export { envBoolean, envInt } from './env-types.js';
export { ConfigError, type DeepReadonly, deepFreeze, EXIT_CONFIG, loadConfig, loadConfigOrExit } from './load-config.js';
export { type LocalStackFile, readLocalStackFile, removeLocalStackFile, writeLocalStackFile } from './local-stack-file.js';
export { reachableUrl } from './reachable-url.js';
export {
  type ClusterSeed,
  DEFAULT_REDIS_URL,
  parseClusterSeeds,
  type RedisTarget,
  redisEnv,
  redisRules,
  redisTargetOf,
} from './redis.schema.js';
