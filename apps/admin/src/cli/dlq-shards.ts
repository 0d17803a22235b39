import type { Queue } from '@tally/queue';
import type { DlqCommand, DlqTarget } from './args.js';
import type { DlqOutcome } from './dlq-batch.js';
import { dlqDrop } from './dlq-drop.command.js';
import { dlqList } from './dlq-list.command.js';
import { dlqRetry } from './dlq-retry.command.js';
import type { CommandOutput } from './output.js';

/**
 * A dlq command over every shard of the summaries queue (QUEUE_SHARDS). One shard is exactly
 * the unsharded command. With several, `list` lists each shard under its name (in JSON, one
 * object per shard and line, each naming its queue), `--all` handles every shard's failed set,
 * and job ids are sent to the shard that holds them (ids are random UUIDs, so one shard at most);
 * an id no shard knows goes to the first, which reports it as not found.
 */
export async function runDlqOnShards(queues: readonly Queue[], command: DlqCommand, output: CommandOutput): Promise<boolean> {
  if (queues.length === 1) return runOne(queues[0]!, command, command.command === 'dlq-list' ? undefined : command.target, output);
  let ok = true;
  for (const [queue, target] of await targetsByShard(queues, command)) {
    if (command.command === 'dlq-list' && !command.json) output.out(`shard ${queue.name}:`);
    ok = (await runOne(queue, command, target, output)) && ok;
  }
  return ok;
}

async function runOne(queue: Queue, command: DlqCommand, target: DlqTarget | undefined, output: CommandOutput): Promise<boolean> {
  let outcome: DlqOutcome;
  switch (command.command) {
    case 'dlq-list':
      await dlqList(queue, command, output);
      return true;
    case 'dlq-retry':
      outcome = await dlqRetry(queue, target!, output, command);
      return outcome.problems.length === 0;
    case 'dlq-drop':
      outcome = await dlqDrop(queue, target!, output, command);
      return outcome.problems.length === 0;
  }
}

async function targetsByShard(queues: readonly Queue[], command: DlqCommand): Promise<[Queue, DlqTarget | undefined][]> {
  if (command.command === 'dlq-list' || command.target.kind !== 'ids') {
    return queues.map((queue) => [queue, command.command === 'dlq-list' ? undefined : command.target]);
  }
  const byShard = new Map<Queue, string[]>();
  for (const id of command.target.ids) {
    const states = await Promise.all(queues.map((queue) => queue.getJobState(id)));
    const holder =
      queues[
        Math.max(
          0,
          states.findIndex((state) => state !== 'unknown'),
        )
      ]!;
    byShard.set(holder, [...(byShard.get(holder) ?? []), id]);
  }
  return [...byShard].map(([queue, ids]) => [queue, { kind: 'ids', ids }]);
}
