import type { z } from 'zod';
import { loadDotEnv } from './dot-env.js';

/** Thrown by {@link loadConfig}; `problems` lists every invalid variable, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Freezes an object graph so configuration cannot drift after start-up. */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value as DeepReadonly<T>;
}

/**
 * Parses `env` with `schema`. Every failing variable is reported in one error, so an operator
 * fixes a deployment in one round instead of one variable per restart.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): DeepReadonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(root)';
      const raw = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      const shown = raw === undefined ? 'unset' : `got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)}`;
      return `${name}: ${issue.message} (${shown})`;
    });
    throw new ConfigError(problems);
  }
  return deepFreeze(result.data);
}

/** sysexits' EX_CONFIG: the configuration, or the deployment it names, cannot work. Restarting will not help. */
export const EXIT_CONFIG = 78;

/**
 * For a process's `main`: {@link loadConfig}, or print every problem under the process's name
 * and exit 78 (EX_CONFIG) before any connection is opened. Given `process.env` itself, it first
 * loads `.env` from the working directory (variables already set win), so every entry point reads
 * a `.env` the same way; a test passing a literal object gets exactly that object.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  processName: string,
): DeepReadonly<z.output<S>> {
  if (env === process.env) loadDotEnv();
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${processName}: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}
