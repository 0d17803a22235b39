import type { AppDeps } from '../app.js';

/**
 * What `buildApp` needs behind its HTTP layer, answering at once from memory: an enqueuer that
 * accepts every request and is always ready, and reads that find nothing. For tests of the HTTP
 * layer, and for the HTTP-layer-only instrument (http-layer-only.main.ts).
 */
export const acceptingDeps: Pick<AppDeps, 'enqueuer' | 'summaries' | 'events'> = {
  enqueuer: {
    submit: async () => ({ replayed: false }),
    keyedRefusal: async () => ({ replayed: false }),
    readiness: () => ({ ready: true, backlog: { jobs: 0, summaries: 0, redisMemoryRatio: 0 } }),
    drain: async () => {},
  },
  summaries: { findByUser: async () => [] },
  events: { list: async () => [] },
};
