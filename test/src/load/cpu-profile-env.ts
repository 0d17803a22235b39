import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '@tally/testing';

/**
 * Environment that makes a Node process write its CPU profile into `dir` when it exits
 * (cpu-profile.preload.mjs: Node 20 refuses --cpu-prof in NODE_OPTIONS).
 */
export function cpuProfileEnv(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const preload = join(repoRoot(), 'test', 'src', 'load', 'cpu-profile.preload.mjs');
  return { NODE_OPTIONS: `--import ${preload}`, TALLY_CPU_PROFILE_DIR: resolve(dir) };
}
