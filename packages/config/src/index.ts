/**
 * Configuration: one zod schema per concern, merged per app. `loadConfig` reports every problem
 * at once and returns a deep-frozen object; nothing here reads `process.env` at import time.
 */

export type { TokenEntry } from './common.schema.js';
export { logEnv, mongoEnv, parseTokens, tokensEnv } from './common.schema.js';
export { envBoolean, envInt, envList } from './env-types.js';
export { ConfigError, deepFreeze, loadConfig, loadConfigOrExit } from './load-config.js';
export {
  type ClusterSeed,
  DEFAULT_REDIS_URL,
  parseClusterSeeds,
  type RedisTarget,
  redisEnv,
  redisRules,
  redisTargetOf,
} from './redis.schema.js';
