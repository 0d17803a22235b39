import { defineConfig } from 'vitest/config';

const sources = ['apps/*/src', 'packages/*/src'];

/**
 * One test configuration for the monorepo, three projects by the file name's suffix:
 * `*.test.ts` unit tests (pure, cacheable), `*.int.test.ts` integration tests (real Redis, the
 * MongoDB emulator or MONGO_URL), `*.e2e.test.ts` end-to-end tests (real processes, one file at
 * a time). The projects run one after the other (unit, integration, e2e), so whole stacks of
 * processes never compete with integration tests for a small machine's cores. Run one file
 * from the repository root: `npx vitest run apps/ingress/src/app.test.ts`.
 */
export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the "tally-source" export condition),
  // so tests never run against a stale dist/.
  resolve: { conditions: ['tally-source'] },
  ssr: { resolve: { conditions: ['tally-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: sources.map((dir) => `${dir}/**/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', sequence: { groupOrder: 1 }, include: sources.map((dir) => `${dir}/**/*.int.test.ts`) },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/src/**/*.e2e.test.ts', ...sources.map((dir) => `${dir}/**/*.e2e.test.ts`)],
          // Whole stacks of processes on a 2-core machine: one file at a time, generous deadlines.
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
