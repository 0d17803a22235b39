/**
 * `npm run tally -- dlq list|retry|drop …`: dead-letter operations from a terminal. Reads
 * REDIS_URL and QUEUE_PREFIX; everything else is on the command line (see cli/usage.ts).
 */
import { ConfigError, loadConfig } from '@tally/config';
import { Queue, queueName } from '@tally/queue';
import { Redis } from 'ioredis';
import { parseCliArgs, UsageError, type CliCommand } from './cli/args.js';
import { dlqDrop } from './cli/dlq-drop.command.js';
import { dlqList } from './cli/dlq-list.command.js';
import { dlqRetry } from './cli/dlq-retry.command.js';
import { processOutput, type CommandOutput } from './cli/output.js';
import { USAGE } from './cli/usage.js';
import { cliConfigSchema } from './config.js';
import { operatorConnection, redisAddress } from './redis-connection.js';

const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

async function main(argv: readonly string[], output: CommandOutput): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`tally: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (command.command === 'help') {
    output.out(USAGE);
    return EXIT.ok;
  }

  let config;
  try {
    config = loadConfig(cliConfigSchema, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`tally: ${error.message}`);
    return EXIT.config;
  }

  const redis = new Redis({ ...operatorConnection(config.REDIS_URL), lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported below, once, in words
  try {
    await redis.connect();
  } catch (error) {
    output.err(`tally: cannot reach Redis at ${redisAddress(config.REDIS_URL)} (${(error as Error).message}); check REDIS_URL`);
    redis.disconnect();
    return EXIT.failed;
  }
  const queue = new Queue(queueName('summaries'), { connection: redis, prefix: config.QUEUE_PREFIX });
  try {
    return await run(command, queue, output);
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

async function run(command: Exclude<CliCommand, { command: 'help' }>, queue: Queue, output: CommandOutput): Promise<number> {
  switch (command.command) {
    case 'dlq-list':
      await dlqList(queue, command, output);
      return EXIT.ok;
    case 'dlq-retry': {
      const outcome = await dlqRetry(queue, command.target, output, command);
      return outcome.problems.length === 0 ? EXIT.ok : EXIT.failed;
    }
    case 'dlq-drop': {
      const outcome = await dlqDrop(queue, command.target, output, command);
      return outcome.problems.length === 0 ? EXIT.ok : EXIT.failed;
    }
  }
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
