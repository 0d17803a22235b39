import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "tally-source" export condition),
// so tests never run against a stale dist/.
export default defineConfig({
  resolve: { conditions: ['tally-source'] },
  ssr: { resolve: { conditions: ['tally-source'] } },
});
