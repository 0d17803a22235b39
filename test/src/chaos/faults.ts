import { setTimeout as sleep } from 'node:timers/promises';
import type { Stack } from '../support/stack.js';

export interface FaultPlan {
  /** Kill a random worker (SIGKILL) this often, and start a replacement. */
  workerKillEveryMs: number;
  /** When to SIGKILL Redis and start it again on the same AOF. */
  redisRestartAtMs: number;
  /** When to pause MongoDB (SIGSTOP) and for how long. */
  mongoPauseAtMs: number;
  mongoPauseForMs: number;
  /** When to restart one ingress (SIGTERM, then a new one). */
  ingressRestartAtMs: number;
}

export interface FaultLog {
  workerKills: number;
  redisRestarts: number;
  mongoPauses: number;
  ingressRestarts: number;
  notes: string[];
}

const at = async (startedAt: number, ms: number, stop: () => boolean) => {
  while (!stop() && performance.now() - startedAt < ms) await sleep(50);
  return !stop();
};

/**
 * Runs the fault schedule against the stack until `stop()` turns true. Each fault is one the
 * design claims to survive: a worker dying mid-job, Redis crashing (AOF, fsync always), MongoDB
 * hanging, an ingress restarting under load.
 */
export async function runFaults(
  stack: Stack,
  plan: FaultPlan,
  log: FaultLog,
  say: (line: string) => void,
  stop: () => boolean,
): Promise<void> {
  const startedAt = performance.now();
  const workerKiller = (async () => {
    let next = plan.workerKillEveryMs;
    while (await at(startedAt, next, stop)) {
      const victim = stack.workers.splice(Math.floor(Math.random() * stack.workers.length), 1)[0];
      if (victim) {
        await victim.kill('SIGKILL');
        log.workerKills += 1;
        say(`fault: SIGKILLed ${victim.name}`);
        await stack.addWorker();
      }
      next += plan.workerKillEveryMs;
    }
  })();
  const redis = (async () => {
    if (!(await at(startedAt, plan.redisRestartAtMs, stop))) return;
    say('fault: SIGKILL Redis');
    await stack.redis.kill('SIGKILL');
    await sleep(1000);
    await stack.redis.restart();
    log.redisRestarts += 1;
    say('fault: Redis restarted from its AOF');
  })();
  const mongo = (async () => {
    if (!(await at(startedAt, plan.mongoPauseAtMs, stop))) return;
    say(`fault: MongoDB stops answering for ${plan.mongoPauseForMs} ms (${stack.mongo.external ? 'frozen proxy' : 'SIGSTOP'})`);
    await stack.pauseMongo();
    await sleep(plan.mongoPauseForMs);
    await stack.resumeMongo();
    log.mongoPauses += 1;
    say('fault: MongoDB resumed');
  })();
  const ingress = (async () => {
    if (!(await at(startedAt, plan.ingressRestartAtMs, stop))) return;
    const old = stack.ingresses.shift();
    if (!old) return;
    say(`fault: restarting ${old.app.name} (SIGTERM)`);
    await old.app.kill('SIGTERM');
    await stack.addIngress();
    log.ingressRestarts += 1;
    say('fault: new ingress up');
  })();
  await Promise.all([workerKiller, redis, mongo, ingress]);
}
