import { connect } from 'node:net';

/** Long enough for a server across a VPN, short enough that a typo fails at once. */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Checks that a server the user pointed `npm start` at answers, before anything is started.
 * Without it, an unreachable REDIS_URL or MONGO_URL meant 90 s of reconnect warnings from every
 * app and then a timeout that blamed a missing log line. Returns `null` when a TCP connection
 * opens, else the one line to print: the variable, its (password-free) URL, why, and the way out.
 */
export async function checkReachable(variable: 'REDIS_URL' | 'MONGO_URL', url: string): Promise<string | null> {
  const shown = withoutPassword(url);
  const fallback =
    variable === 'REDIS_URL' ? 'unset REDIS_URL to let npm start run its own Redis' : 'unset MONGO_URL to use the in-memory emulator';
  const hosts = hostsOf(url);
  if (hosts === null) return `${variable}=${shown} is not a URL npm start can read: fix it, or ${fallback}.`;
  // mongodb+srv names a DNS record, not a host: the driver resolves it; nothing to probe here.
  if (hosts.length === 0) return null;
  const errors: string[] = [];
  for (const { host, port } of hosts) {
    const error = await tryConnect(host, port);
    if (error === null) return null;
    errors.push(error);
  }
  return `${variable}=${shown} does not answer (${errors[0]}): start that server, or ${fallback}.`;
}

function tryConnect(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (error: string | null) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.once('connect', () => done(null));
  });
}

/** host:port pairs of a redis:// or mongodb:// URL (several for a replica set); [] for mongodb+srv. */
function hostsOf(url: string): { host: string; port: number }[] | null {
  const match = /^(redis|rediss|mongodb|mongodb\+srv):\/\/(?:[^@/]*@)?([^/?#]+)/.exec(url);
  if (match === null) return null;
  const [, scheme, hostList = ''] = match;
  if (scheme === 'mongodb+srv') return [];
  const defaultPort = scheme === 'redis' || scheme === 'rediss' ? 6379 : 27017;
  return hostList.split(',').map((entry) => {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed !== null) return { host: bracketed[1] ?? '', port: Number(bracketed[2] ?? defaultPort) };
    const [host = '', port] = entry.split(':');
    return { host, port: Number(port ?? defaultPort) };
  });
}

/** The URL without its password, for a line that may end up in a bug report. */
export function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
