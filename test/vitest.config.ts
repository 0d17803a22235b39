import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "tally-source" export condition),
// so tests never run against a stale dist/. End-to-end tests start real processes: they run one
// file at a time, with generous timeouts, on a 2-core machine.
export default defineConfig({
  resolve: { conditions: ['tally-source'] },
  ssr: { resolve: { conditions: ['tally-source'] } },
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
