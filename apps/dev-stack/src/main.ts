/**
 * `npm start`: the whole stack on one machine for a newcomer. Redis (with AOF, in .tally/redis),
 * MongoDB (MONGO_URL, else the in-memory emulator), then the ingress, one worker and the admin as
 * child processes, their output prefixed and readable. Ctrl-C stops everything in order; every
 * child also stops by itself if the launcher dies without a word (SIGKILL).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { loadDotEnv, reachableUrl, readLocalStackFile, removeLocalStackFile, writeLocalStackFile } from '@tally/config';
import { freePort, isPortFree, repoRoot } from '@tally/testing';
import { EMULATOR_WARNING, readyBanner } from './banner.js';
import { type AppName, startApp, waitForLog } from './children/app.js';
import type { Child } from './children/child-process.js';
import { startEmulator } from './children/emulator.js';
import { startLocalRedis } from './children/local-redis.js';
import { checkReachable } from './preflight.js';
import { formatChildLine } from './pretty-log.js';
import { redisOwnerFile } from './redis-owner-file.js';
import { readStackConfig, type StackConfig } from './stack-config.js';
import { Supervisor } from './supervisor.js';

/** The first run compiles every app through tsx; a cold laptop needs more than a test would allow. */
const READY_TIMEOUT_MS = 90_000;
/** The worker drains in-flight jobs on SIGTERM: give it time before SIGKILL. */
const APP_STOP_GRACE_MS = 30_000;

const say = (text: string) => {
  for (const line of text.split('\n')) process.stdout.write(`${formatChildLine('stack', line)}\n`);
};
const printer = (name: string) => (line: string) => process.stdout.write(`${formatChildLine(name, line)}\n`);
const supervisor = new Supervisor(say);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => supervisor.onSignal(signal));

/** Registers a started child: stopped in order on shutdown, and the stack goes down if it dies. */
function supervise(child: Child, stop: () => Promise<unknown> = () => child.stop(APP_STOP_GRACE_MS)): void {
  supervisor.add({ name: child.name, stop: async () => void (await stop()), kill: async () => void (await child.kill()) });
  void child.exited.then((exit) => supervisor.childExited(child.name, exit, child.lastLines()));
}

async function main(): Promise<void> {
  loadDotEnv(repoRoot());
  const config = readStackConfig(process.env, repoRoot(), process.argv.slice(2));
  // Servers the user named must answer before anything starts: one line, the URL, the way out.
  for (const [variable, url] of [
    ['REDIS_URL', config.redisUrl],
    ['MONGO_URL', config.mongoUrl],
  ] as const) {
    const problem = url === undefined ? null : await checkReachable(variable, url);
    if (problem !== null) {
      process.stderr.write(`npm start: ${problem}\n`);
      process.exit(1);
    }
  }
  // A live stack on the same state directory owns its Redis data and its stack file: a second
  // one would find its Redis and say to kill it, or overwrite the file the CLI goes by.
  const running = readLocalStackFile(config.stackFile);
  if (running !== null && running.pid !== process.pid) {
    throw new Error(
      `npm start is already running with ${config.stateDir} (pid ${running.pid}, API ${running.apiUrl}): stop it first ` +
        `(Ctrl-C in its terminal, or kill ${running.pid}), or give this one its own TALLY_STATE_DIR, PORT and ADMIN_PORT`,
    );
  }
  for (const [name, port] of [
    ['PORT', config.port],
    ['ADMIN_PORT', config.adminPort],
  ] as const) {
    if (!(await isPortFree(port))) throw new Error(`port ${port} is in use: stop what runs there or set ${name}=<another port>`);
  }
  // Both stores start empty together, or keep their data together: Idempotency-Keys remembered
  // in Redis for counts the in-memory emulator forgot would answer "already counted" for data
  // that is gone.
  const freshRedis = config.reset || config.mongoUrl === undefined;
  const redisUrl = config.redisUrl ?? (await localRedis(config, freshRedis));
  if (config.redisUrl !== undefined) say(`Redis: using REDIS_URL (${config.redisUrl})`);

  let mongoUrl = config.mongoUrl;
  if (mongoUrl === undefined) {
    const emulator = await startEmulator({ port: await freePort(), onLine: printer('mongo') });
    supervise(emulator.child, () => emulator.child.stop(5_000));
    mongoUrl = emulator.uri;
    say(EMULATOR_WARNING);
  } else {
    say('MongoDB: using MONGO_URL; its data and the local Redis are kept (npm start -- --reset empties the local Redis)');
  }

  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    MONGO_URL: mongoUrl,
    MONGO_DB: config.mongoDb,
    TALLY_TOKENS: config.tallyTokens,
    LOG_LEVEL: config.logLevel,
    PORT: String(config.port),
    ADMIN_PORT: String(config.adminPort),
    ADMIN_USER: config.adminUser,
    ADMIN_PASSWORD: config.adminPassword,
    // A development token is printed on screen: listen on loopback unless HOST says otherwise.
    HOST: process.env.HOST ?? '127.0.0.1',
    // Prometheus /metrics of each process on a free port of its own, printed in the banner.
    METRICS_PORT: process.env.METRICS_PORT ?? '0',
    METRICS_HOST: process.env.METRICS_HOST ?? '127.0.0.1',
  };
  const launch = async (app: AppName) => {
    const child = await startApp(app, env, printer(app));
    supervise(child);
    return child;
  };
  const [ingress, worker, admin] = await Promise.all([launch('ingress'), launch('worker'), launch('admin')]);
  const [listening, workerReady, adminReady] = await Promise.all([
    waitForLog(ingress, 'ingress listening', READY_TIMEOUT_MS),
    waitForLog(worker, 'worker ready', READY_TIMEOUT_MS),
    waitForLog(admin, 'admin listening', READY_TIMEOUT_MS),
  ]);
  if (supervisor.stopping) return;
  const apiUrl = localUrl(listening.url, config.port);
  writeLocalStackFile(config.stackFile, {
    pid: process.pid,
    redisUrl,
    mongoUrl,
    mongoDb: config.mongoDb,
    queuePrefix: process.env.QUEUE_PREFIX ?? 'tally',
    apiUrl,
  });
  // Every exit path ends in process.exit; a SIGKILLed launcher leaves the file, which the CLI
  // then ignores (its pid is dead).
  process.once('exit', () => removeLocalStackFile(config.stackFile));
  // Unprefixed, so the curl lines can be copied as they are.
  process.stdout.write(
    `\n${readyBanner({
      apiUrl,
      adminUrl: typeof adminReady.board === 'string' ? adminReady.board : localUrl(adminReady.url, config.adminPort),
      adminUser: config.adminUser,
      adminPassword: config.adminPassword,
      token: config.devToken,
      workspace: config.devWorkspace,
      redisUrl,
      mongoUrl: config.mongoUrl !== undefined ? '(MONGO_URL)' : mongoUrl,
      mongoIsEmulator: config.mongoUrl === undefined,
      stackFile: config.stackFile,
      ...(typeof adminReady.apiDocs === 'string' ? { apiDocsUrl: adminReady.apiDocs } : {}),
      metricsUrls: metricsUrls({ ingress: listening, worker: workerReady, admin: adminReady }),
    })}\n\n`,
  );
}

/**
 * Redis with every write fsynced, its AOF in .tally/redis; emptied first when `fresh`. On a free
 * port, never 6379: that is where a system Redis lives, and `npm run tally` finds this one
 * through the stack file instead.
 */
async function localRedis(config: StackConfig, fresh: boolean): Promise<string> {
  const dir = config.redisDir;
  mkdirSync(dir, { recursive: true });
  redisOwnerFile.assertNoneRunning(dir);
  if (fresh) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const port = await freePort();
  const redis = await startLocalRedis({ port, dir, onLine: printer('redis') });
  redisOwnerFile.record(dir, redis.pid, port);
  supervise(redis, async () => {
    await redis.stop(10_000);
    redisOwnerFile.clear(dir);
  });
  const url = `redis://127.0.0.1:${port}`;
  say(`Redis: ${url} (AOF, appendfsync always), data in ${dir}${fresh ? ', started empty' : ', kept from the last run'}`);
  return url;
}

/** The URL an app logged it listens at, made reachable; its port on loopback if it logged none. */
function localUrl(logged: unknown, port: number): string {
  return typeof logged === 'string' ? reachableUrl(logged) : `http://127.0.0.1:${port}`;
}

main().catch((error: unknown) => {
  // A child that died has already been reported; anything else is a failed start.
  if (supervisor.stopping) return;
  say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  void supervisor.shutdown(1);
});

/** `http://127.0.0.1:<metricsPort>/metrics` of each process that logged a metrics port. */
function metricsUrls(ready: Record<'ingress' | 'worker' | 'admin', Record<string, unknown>>) {
  return Object.fromEntries(
    Object.entries(ready)
      .filter(([, record]) => typeof record.metricsPort === 'number')
      .map(([app, record]) => [app, `http://127.0.0.1:${record.metricsPort}/metrics`]),
  );
}
