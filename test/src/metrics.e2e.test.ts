import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sampleValue } from '@tally/metrics';
import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName } from '@tally/queue';
import { type AppProcess, startApp, waitFor, waitForLog } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { type Stack, startStack } from './support/stack.js';

/** Each process logs its metrics port once ready; METRICS_PORT=0 lets it pick a free one. */
async function metricsUrl(app: AppProcess, readyMessage: string): Promise<string> {
  const record = await waitForLog(app, readyMessage);
  expect(record.metricsPort).toEqual(expect.any(Number));
  return `http://127.0.0.1:${record.metricsPort}/metrics`;
}

const scrape = async (url: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

/** The metric names the Grafana dashboard of the repository queries (histograms by their family name). */
function dashboardMetrics(): string[] {
  const dashboard = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../ops/grafana/tally.json'), 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
  };
  const names = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(?:tally|process|nodejs)_[a-z0-9_]+/g) ?? []));
  return [...new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, '')))].sort();
}

const summary = (user: string) => ({
  user_id: user,
  event_summaries: { event_name: 'signed-up', count: 1, first: 1_700_000_000, last: 1_700_000_000 },
});

describe('Prometheus /metrics of the ingress, the worker and the admin', () => {
  let stack: Stack;
  let admin: AppProcess;
  let queue: Queue;
  const url = { ingress: '', worker: '', admin: '' };

  beforeAll(async () => {
    stack = await startStack({ env: { METRICS_PORT: '0' } });
    admin = await startApp('admin', {
      env: { ...stack.env, ADMIN_PORT: '0', ADMIN_PASSWORD: 'metrics-test-password', METRICS_SAMPLE_MS: '100' },
    });
    url.ingress = await metricsUrl(stack.ingresses[0]!.app, 'ingress listening');
    url.worker = await metricsUrl(stack.workers[0]!, 'worker ready');
    url.admin = await metricsUrl(admin, 'admin listening');
    queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
  });
  afterAll(async () => {
    await queue?.close();
    await stack?.stop();
  });

  it('serves default process metrics on its own port, never on the API port', async () => {
    for (const text of [await scrape(url.ingress), await scrape(url.worker), await scrape(url.admin)]) {
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    }
    expect((await fetch(`${stack.ingresses[0]!.url}/metrics`)).status).toBe(404);
  });

  it('serves every metric the Grafana dashboard queries, so no panel stays empty', async () => {
    const served = [await scrape(url.ingress), await scrape(url.worker), await scrape(url.admin)].join('\n');
    const declared = new Set([...served.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const wanted = dashboardMetrics();
    expect(wanted.length).toBeGreaterThan(10);
    expect(wanted.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('counts what the ingress answered and what the worker applied, by the amounts sent', async () => {
    const api = client(stack.ingresses[0]!.url);
    const before = { ingress: await scrape(url.ingress), worker: await scrape(url.worker) };
    const key = { 'idempotency-key': 'metrics-e2e-1' };
    expect((await api.postSummaries(summary('ada'), key)).status).toBe(200);
    expect((await api.postSummaries(summary('ada'), key)).status).toBe(200); // a replay: nothing queued
    expect((await api.postSummaries(summary('bob'))).status).toBe(200);
    expect((await api.postSummaries(summary('cy'))).status).toBe(200);
    expect((await api.postSummaries({ user_id: 'dee' })).status).toBe(400);
    const unauthorized = await fetch(`${stack.ingresses[0]!.url}/events/summaries`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' },
      body: JSON.stringify(summary('eve')),
    });
    expect(unauthorized.status).toBe(401);

    const delta = (text: string, old: string, name: string, labels: Record<string, string> = {}) =>
      sampleValue(text, name, labels) - sampleValue(old, name, labels);
    const ingress = await scrape(url.ingress);
    const route = { method: 'POST', route: '/events/summaries' };
    expect(delta(ingress, before.ingress, 'tally_ingress_http_requests_total', { ...route, status: '200' })).toBe(4);
    expect(delta(ingress, before.ingress, 'tally_ingress_http_requests_total', { ...route, status: '400' })).toBe(1);
    expect(delta(ingress, before.ingress, 'tally_ingress_http_requests_total', { ...route, status: '401' })).toBe(1);
    expect(delta(ingress, before.ingress, 'tally_ingress_http_request_duration_seconds_count', route)).toBe(6);
    expect(delta(ingress, before.ingress, 'tally_ingress_summaries_accepted_total')).toBe(3);
    expect(delta(ingress, before.ingress, 'tally_ingress_idempotent_replays_total')).toBe(1);
    expect(delta(ingress, before.ingress, 'tally_ingress_refusals_total', { reason: 'auth' })).toBe(1);
    expect(delta(ingress, before.ingress, 'tally_ingress_refusals_total', { reason: 'validation' })).toBe(1);
    // Three requests were queued, in one to three micro-batches.
    expect(delta(ingress, before.ingress, 'tally_ingress_batch_requests_sum')).toBe(3);
    const batches = delta(ingress, before.ingress, 'tally_ingress_batch_requests_count');
    expect(delta(ingress, before.ingress, 'tally_ingress_enqueue_duration_seconds_count')).toBe(batches);

    let worker = '';
    await waitFor(
      async () => {
        worker = await scrape(url.worker);
        return delta(worker, before.worker, 'tally_worker_summaries_applied_total') === 3;
      },
      { timeoutMs: 20_000, message: 'the worker never reported 3 summaries applied' },
    );
    expect(delta(worker, before.worker, 'tally_worker_jobs_total', { outcome: 'applied' })).toBe(batches);
    expect(delta(worker, before.worker, 'tally_worker_mongo_write_ops_total', { collection: 'event_summaries' })).toBe(3);
    // One ledger entry per transaction (jobs the worker holds at once share one), plus one per Idempotency-Key.
    const ledgerWrites = delta(worker, before.worker, 'tally_worker_mongo_write_ops_total', { collection: 'ingest_ledger' });
    expect(ledgerWrites).toBeGreaterThanOrEqual(2);
    expect(ledgerWrites).toBeLessThanOrEqual(batches + 1);
    expect(delta(worker, before.worker, 'tally_worker_apply_duration_seconds_count')).toBe(batches);
    expect(delta(worker, before.worker, 'tally_worker_end_to_end_lag_seconds_count')).toBe(batches);
  });

  it('shows a failed job in the worker outcomes and the admin queue gauges', async () => {
    const before = { worker: await scrape(url.worker) };
    await queue.add(
      JOBS.applySummaries,
      {
        v: 1,
        requests: [{ requestId: 'r', workspace: 'acme', summaries: [{ user_id: 'x', event_name: 'e', count: -1, first: 1, last: 1 }] }],
      },
      JOB_CATALOG[JOBS.applySummaries].options,
    );
    await waitFor(async () => sampleValue(await scrape(url.admin), 'tally_queue_jobs', { state: 'failed' }) === 1, {
      timeoutMs: 20_000,
      message: 'the admin never showed one failed job',
    });
    const worker = await scrape(url.worker);
    expect(
      sampleValue(worker, 'tally_worker_jobs_total', { outcome: 'failed' }) -
        sampleValue(before.worker, 'tally_worker_jobs_total', { outcome: 'failed' }),
    ).toBe(1);
    const gauges = await scrape(url.admin);
    expect(sampleValue(gauges, 'tally_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(sampleValue(gauges, 'tally_queue_oldest_waiting_age_seconds')).toBe(0);
  });
});
