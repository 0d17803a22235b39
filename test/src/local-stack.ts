/**
 * `npm start`: the whole stack on one machine for a newcomer. Redis (with AOF, in .tally/redis),
 * MongoDB (MONGO_URL, else the in-memory emulator), then the ingress, one worker and the admin as
 * child processes, their output prefixed and readable. Ctrl-C stops everything in order.
 */
import { mkdirSync } from 'node:fs';
import { URL } from 'node:url';
import {
  type AppName,
  type AppProcess,
  freePort,
  isPortFree,
  repoRoot,
  startApp,
  startMongo,
  startRedis,
  waitForLog,
} from '@tally/testing';
import { EMULATOR_WARNING, readyBanner } from './stack/banner.js';
import { formatChildLine } from './stack/pretty-log.js';
import { redisOwnerFile } from './stack/redis-owner-file.js';
import { readStackConfig, type StackConfig } from './stack/stack-config.js';
import { Supervisor } from './stack/supervisor.js';

/** The first run compiles every app through tsx; a cold laptop needs more than a test would allow. */
const READY_TIMEOUT_MS = 90_000;

const say = (text: string) => {
  for (const line of text.split('\n')) process.stdout.write(`${formatChildLine('stack', line)}\n`);
};
const supervisor = new Supervisor(say);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => supervisor.onSignal(signal));

async function main(): Promise<void> {
  const config = readStackConfig(process.env, repoRoot());
  for (const [name, port] of [
    ['PORT', config.port],
    ['ADMIN_PORT', config.adminPort],
  ] as const) {
    if (!(await isPortFree(port))) throw new Error(`port ${port} is in use: stop what runs there or set ${name}=<another port>`);
  }
  const redisUrl = config.redisUrl ?? (await startLocalRedis(config));
  if (config.redisUrl !== undefined) say(`Redis: using REDIS_URL (${config.redisUrl})`);

  const mongo = await startMongo({
    childProcess: true,
    ownProcessGroup: true,
    onUnexpectedExit: (exit, lines) => supervisor.childExited('mongo', exit, lines),
  });
  supervisor.add({ name: 'mongo', stop: () => mongo.stop(), kill: () => (mongo.external ? mongo.stop() : mongo.kill()) });
  say(mongo.external ? 'MongoDB: using MONGO_URL' : EMULATOR_WARNING);

  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    MONGO_URL: mongo.uri,
    MONGO_DB: config.mongoDb,
    TALLY_TOKENS: config.tallyTokens,
    LOG_LEVEL: config.logLevel,
    PORT: String(config.port),
    ADMIN_PORT: String(config.adminPort),
    ADMIN_USER: config.adminUser,
    ADMIN_PASSWORD: config.adminPassword,
    // A development token is printed on screen: listen on loopback unless HOST says otherwise.
    HOST: process.env.HOST ?? '127.0.0.1',
  };
  const [ingress, worker, admin] = await Promise.all([launch('ingress', env), launch('worker', env), launch('admin', env)]);
  const [listening, , adminReady] = await Promise.all([
    waitForLog(ingress, 'ingress listening', READY_TIMEOUT_MS),
    waitForLog(worker, 'worker ready', READY_TIMEOUT_MS),
    waitForLog(admin, 'admin listening', READY_TIMEOUT_MS),
  ]);
  if (supervisor.stopping) return;
  // Unprefixed, so the curl lines can be copied as they are.
  process.stdout.write(
    `\n${readyBanner({
      apiUrl: localUrl(listening.url, config.port),
      adminUrl: typeof adminReady.board === 'string' ? adminReady.board : localUrl(adminReady.url, config.adminPort),
      adminUser: config.adminUser,
      adminPassword: config.adminPassword,
      token: config.devToken,
      redisUrl,
      mongoUrl: mongo.external ? '(MONGO_URL)' : mongo.uri,
      mongoIsEmulator: !mongo.external,
    })}\n\n`,
  );
}

/** Redis with every write fsynced, its AOF kept in .tally/redis between runs; 6379 when free. */
async function startLocalRedis(config: StackConfig): Promise<string> {
  const dir = config.redisDir;
  mkdirSync(dir, { recursive: true });
  redisOwnerFile.assertNoneRunning(dir);
  const port = (await isPortFree(6379)) ? 6379 : await freePort();
  const redis = await startRedis({
    port,
    dir,
    appendOnly: true,
    appendFsync: 'always',
    ownProcessGroup: true,
    onUnexpectedExit: (exit, lines) => supervisor.childExited('redis', exit, lines),
  });
  redisOwnerFile.record(dir, redis.pid, port);
  supervisor.add({
    name: 'redis',
    stop: async () => {
      await redis.stop();
      redisOwnerFile.clear(dir);
    },
    kill: () => redis.kill('SIGKILL'),
  });
  say(`Redis: ${redis.url} (AOF, appendfsync always), data in ${dir}`);
  return redis.url;
}

/** Own process group: a terminal's Ctrl-C reaches only this launcher, which then stops apps first. */
async function launch(app: AppName, env: Record<string, string>): Promise<AppProcess> {
  const proc = await startApp(app, {
    env,
    ownProcessGroup: true,
    onLine: (line) => process.stdout.write(`${formatChildLine(app, line)}\n`),
  });
  // The worker drains in-flight jobs on SIGTERM: give it time before SIGKILL.
  supervisor.add({
    name: app,
    stop: async () => void (await proc.process.kill('SIGTERM', 30_000)),
    kill: async () => void (await proc.kill('SIGKILL')),
  });
  void proc.exited.then((exit) => supervisor.childExited(app, exit));
  return proc;
}

/** A URL a browser or curl on this machine can use: wildcard listen addresses become 127.0.0.1. */
function localUrl(logged: unknown, port: number): string {
  try {
    const url = new URL(String(logged));
    if (['0.0.0.0', '[::]', '::'].includes(url.hostname)) url.hostname = '127.0.0.1';
    return url.origin;
  } catch {
    return `http://127.0.0.1:${port}`;
  }
}

main().catch((error: unknown) => {
  // A child that died has already been reported; anything else is a failed start.
  if (supervisor.stopping) return;
  say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  void supervisor.shutdown(1);
});
