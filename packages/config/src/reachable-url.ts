/**
 * The URL a browser or curl on this machine can use for a server listening at `listening` (as
 * Fastify reports it): a wildcard address (0.0.0.0, ::) becomes 127.0.0.1. Logged by the apps and
 * printed by `npm start`, so the line can be pasted as it is.
 */
export function reachableUrl(listening: string): string {
  const url = new URL(listening);
  if (['0.0.0.0', '[::]', '::', ''].includes(url.hostname)) url.hostname = '127.0.0.1';
  return url.origin;
}
