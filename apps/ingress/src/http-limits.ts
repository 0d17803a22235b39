import { envInt } from '@tally/config';
import type { FastifyServerOptions } from 'fastify';
import { z } from 'zod';

/**
 * Time and connection limits of the HTTP server. Without them a client that sends its headers,
 * or its body, a byte at a time holds a socket (and its buffered body) forever: enough of them
 * exhaust the file descriptors and lock every other client out.
 */
export const httpLimitsEnv = z.object({
  /** The whole request (headers and body) must arrive within this; past it the socket is closed with 408. */
  REQUEST_TIMEOUT_MS: envInt(30_000, 100, 600_000),
  /** The request headers must arrive within this (slowloris). */
  HEADERS_TIMEOUT_MS: envInt(10_000, 100, 600_000),
  /** A socket with no traffic at all for this long is closed, even mid-request. */
  CONNECTION_TIMEOUT_MS: envInt(60_000, 100, 3_600_000),
  /** An idle keep-alive socket is closed after this; keep it above a load balancer's idle timeout. */
  KEEP_ALIVE_TIMEOUT_MS: envInt(72_000, 100, 3_600_000),
  /** Open connections accepted at once (0: no cap); keep it below the process's file descriptor limit. */
  MAX_CONNECTIONS: envInt(10_000, 0),
  /** Requests served on one keep-alive socket before it is closed (0: no cap). */
  MAX_REQUESTS_PER_SOCKET: envInt(0, 0),
});

export type HttpLimits = z.output<typeof httpLimitsEnv>;

type HttpLimitOptions = Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'maxRequestsPerSocket'> & {
  http: { headersTimeout: number; connectionsCheckingInterval: number };
};

/**
 * The limits as Fastify server options. Node checks request and header deadlines on a timer
 * (`connectionsCheckingInterval`, 30 s by default), so the timer follows the shortest deadline:
 * a slow client is cut off within a quarter of its deadline past it, not up to 30 s later.
 */
export function httpLimitOptions(limits: HttpLimits): HttpLimitOptions {
  const shortest = Math.min(limits.REQUEST_TIMEOUT_MS, limits.HEADERS_TIMEOUT_MS);
  return {
    requestTimeout: limits.REQUEST_TIMEOUT_MS,
    connectionTimeout: limits.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: limits.KEEP_ALIVE_TIMEOUT_MS,
    maxRequestsPerSocket: limits.MAX_REQUESTS_PER_SOCKET,
    http: {
      // Node requires headersTimeout ≤ requestTimeout.
      headersTimeout: shortest,
      connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(shortest / 4))),
    },
  };
}
