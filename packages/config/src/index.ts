/**
 * Configuration: one zod schema per concern, merged per app. `loadConfig` reports every problem
 * at once and returns a deep-frozen object; nothing here reads `process.env` at import time.
 */
export { loadConfig, loadConfigOrExit, ConfigError, deepFreeze } from './load-config.js';
export { envBoolean, envInt, envList } from './env-types.js';
export { redisEnv, mongoEnv, logEnv, tokensEnv, parseTokens } from './common.schema.js';
export type { TokenEntry } from './common.schema.js';
