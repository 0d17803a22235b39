/**
 * Every reason the ingress answers 503, with the one fixed message a client sees for it. No
 * driver or Redis text ever reaches a response body: details go to the log, under an error id
 * the message quotes where there is one.
 */
export const UNAVAILABLE = {
  shuttingDown: 'This replica is shutting down',
  queueUnreachable: 'The queue is unreachable',
  backlogFull: 'The queue backlog is over its cap',
  storageFull: 'The queue storage is nearly full',
  backlogUnmeasured: 'The queue backlog cannot be measured',
  enqueueFailed: 'The summaries could not be queued',
  tokensLoading: 'Tokens are still loading',
  storeUnavailable: 'The summary store is unavailable',
} as const;

export type UnavailableReason = keyof typeof UNAVAILABLE;
