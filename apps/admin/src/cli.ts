/**
 * `npm run -s tally -- dlq list|retry|drop …`, `tokens create|list|revoke …` and `import`,
 * `export`, `migrate`: operations from a terminal. dlq reads REDIS_URL and QUEUE_PREFIX, tokens
 * and export read MONGO_URL and MONGO_DB, import and migrate talk only to HTTP APIs; everything
 * else is on the command line (cli/program.ts declares it, `--help` shows it).
 */
import { ConfigError, loadConfig, loadDotEnv, redisTargetOf } from '@tally/config';
import type { Db } from 'mongodb';
import type { z } from 'zod';
import { type CliCommand, type DlqCommand, parseCliArgs, type TokensCommand, type TransferCommand, UsageError } from './cli/args.js';
import { type CommandOutput, processOutput } from './cli/output.js';
import { cliEnvironment } from './cli/stack-env.js';
import { cliConfigSchema, tokensCliConfigSchema } from './config.js';

/** How long `tally dlq` waits for one Redis command before it reports the failure. */
const CLI_COMMAND_TIMEOUT_MS = 10_000;

// Each command loads what it uses when it runs (`await import`): BullMQ, ioredis and the MongoDB
// driver took about 0.4 s of CPU to load, which an import, talking only HTTP, does not need.

const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

async function main(argv: readonly string[], output: CommandOutput): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The synopsis first and the error last, where the eye lands; the full help is one flag away.
    output.err(`usage: ${error.usage}   (--help for details)\ntally: ${error.message}`);
    return EXIT.usage;
  }
  if (command.command === 'help') {
    output.out(command.text);
    return EXIT.ok;
  }
  if (isTransferCommand(command)) return runTransfer(command, output);
  return isTokensCommand(command) ? runTokens(command, output) : runDlq(command, output);
}

const isTokensCommand = (command: Exclude<CliCommand, { command: 'help' }>): command is TokensCommand =>
  command.command.startsWith('tokens-');

const isTransferCommand = (command: Exclude<CliCommand, { command: 'help' }>): command is TransferCommand =>
  command.command === 'import' || command.command === 'export' || command.command === 'migrate';

/**
 * import and migrate stop reading at the first Ctrl-C, let the requests in flight finish (so the
 * report is exact) and exit 1; a second Ctrl-C exits at once. Either way a re-run resumes.
 */
async function runTransfer(command: TransferCommand, output: CommandOutput): Promise<number> {
  if (command.command === 'export') return runExport(command.options, output);
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130);
    output.err('tally: interrupted; finishing the requests in flight (Ctrl-C again to quit now)');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  // stdin only on demand: touching process.stdin opens it, and an open terminal keeps the process alive.
  const io = { output, progressStream: process.stderr, stdin: () => process.stdin, signal: interrupt.signal };
  try {
    if (command.command === 'import') return await (await import('./cli/import/import.command.js')).importCommand(command.options, io);
    return await (await import('./cli/migrate/migrate.command.js')).migrateCommand(command.options, io);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function runExport(options: Extract<TransferCommand, { command: 'export' }>['options'], output: CommandOutput): Promise<number> {
  const { exportCommand } = await import('./cli/export/export.command.js');
  return withOperatorMongo(output, (db) => exportCommand(db, options, { output, stdout: process.stdout, progressStream: process.stderr }));
}

/**
 * Runs `use` against the MongoDB of the environment, closing the connection afterwards: a config
 * problem is exit 78, an unreachable server exit 1 with one line naming it.
 */
async function withOperatorMongo(output: CommandOutput, use: (db: Db) => Promise<number>): Promise<number> {
  const config = configOrNull(tokensCliConfigSchema, output);
  if (config === null) return EXIT.config;
  const { connectOperatorMongo, mongoAddress } = await import('./mongo-connection.js');
  let mongo: Awaited<ReturnType<typeof connectOperatorMongo>>;
  try {
    mongo = await connectOperatorMongo(config.MONGO_URL, config.MONGO_DB);
  } catch (error) {
    output.err(`tally: cannot reach MongoDB at ${mongoAddress(config.MONGO_URL)} (${(error as Error).message}); check MONGO_URL`);
    return EXIT.failed;
  }
  try {
    return await use(mongo.db);
  } finally {
    await mongo.close().catch(() => undefined);
  }
}

/**
 * Loads one schema from the environment (the shell, `.env`, else the stack `npm start` runs);
 * `null` (after saying why) when it is invalid. Says on stderr when it talks to the local stack.
 */
function configOrNull<S extends z.ZodType>(schema: S, output: CommandOutput) {
  loadDotEnv();
  const { env, source } = cliEnvironment(process.env, process.cwd());
  if (source.kind === 'local-stack') output.err(`tally: using the stack of npm start (pid ${source.pid}, ${source.file})`);
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`tally: ${error.message}`);
    return null;
  }
}

async function runDlq(command: DlqCommand, output: CommandOutput): Promise<number> {
  const config = configOrNull(cliConfigSchema, output);
  if (config === null) return EXIT.config;
  const [
    { createRedisClient, describeRedisTarget, Queue, shardQueueNames },
    { Cluster },
    { runDlqOnShards },
    { operatorPolicy, redisAddress },
  ] = await Promise.all([import('@tally/queue'), import('ioredis'), import('./cli/dlq-shards.js'), import('./redis-connection.js')]);
  const target = redisTargetOf(config);
  // An operator's command may wait for a slow Redis (a large failed set, a loaded host) longer
  // than a page would: the admin's 1 s command timeout failed `dlq list` on a busy CI machine.
  // A Redis that is down still fails at once (no retry of the connection).
  const redis = createRedisClient(target, {
    ...operatorPolicy(),
    commandTimeout: CLI_COMMAND_TIMEOUT_MS,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // reported below, once, in words
  try {
    await redis.connect();
  } catch (error) {
    const where = target.kind === 'single' ? `Redis at ${redisAddress(target.url)}` : describeRedisTarget(target);
    output.err(
      `tally: cannot reach ${where} (${(error as Error).message}); check ${target.kind === 'single' ? 'REDIS_URL' : 'REDIS_CLUSTER_NODES'}`,
    );
    redis.disconnect();
    return EXIT.failed;
  }
  const queues = shardQueueNames('summaries', { shards: config.QUEUE_SHARDS, cluster: redis instanceof Cluster }).map(
    (name) => new Queue(name, { connection: redis, prefix: config.QUEUE_PREFIX }),
  );
  try {
    return (await runDlqOnShards(queues, command, output)) ? EXIT.ok : EXIT.failed;
  } finally {
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    redis.disconnect();
  }
}

async function runTokens(command: TokensCommand, output: CommandOutput): Promise<number> {
  const [{ ApiTokensRepository }, { tokensCreate }, { tokensList }, { tokensRevoke }] = await Promise.all([
    import('@tally/store'),
    import('./cli/tokens-create.command.js'),
    import('./cli/tokens-list.command.js'),
    import('./cli/tokens-revoke.command.js'),
  ]);
  return withOperatorMongo(output, async (db) => {
    const tokens = new ApiTokensRepository(db);
    switch (command.command) {
      case 'tokens-create':
        await tokensCreate(tokens, command, output);
        return EXIT.ok;
      case 'tokens-list':
        await tokensList(tokens, command, output);
        return EXIT.ok;
      case 'tokens-revoke': {
        const outcome = await tokensRevoke(tokens, command, output);
        return outcome.status === 'revoked' || outcome.status === 'already-revoked' ? EXIT.ok : EXIT.failed;
      }
    }
  });
}

// exitCode rather than exit(): a large `--json` list piped into another program must be written
// out completely before the process ends.
main(process.argv.slice(2), processOutput).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tally: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
