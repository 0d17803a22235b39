import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, startProcess } from '@tally/testing';
import type { LoadPlan, LoadResult } from './autocannon.child.js';

/**
 * wrk (C, epoll) when it is on PATH or in TALLY_WRK: a generator that needs a fraction of the
 * CPU autocannon does per request, so on a 2-core machine the saturated points measure the
 * servers rather than the generator. Closed loop only (wrk has no rate option), uniform bodies.
 */
export function wrkPath(): string | undefined {
  const found = findExecutable('TALLY_WRK', ['wrk']);
  return 'path' in found ? found.path : undefined;
}

/**
 * The request script: one summary per request with a random user of 5,000 and event of 20 (the
 * uniform workload's shape, see workload.ts), or batches of `summariesPerRequest` (one user's),
 * with `keyed` an Idempotency-Key unique to every request (a random run id, the thread's and the
 * request's number); statuses counted per thread, and one `result {…}` line at the end with
 * wrk's own percentiles (microseconds).
 */
function luaScript(plan: LoadPlan): string {
  const headers = Object.entries(plan.headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  return `
wrk.method = "POST"
wrk.path = ${JSON.stringify(plan.path)}
${headers}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() ok = 0; refused = 0; other = 0; math.randomseed(os.time() + math.floor(os.clock() * 1e6)); batches = {}; nextBatch = 1; sent = 0; threadId = math.random(0, 999999999) end
local perRequest = ${Math.max(1, Math.floor(plan.summariesPerRequest ?? 1))}
local keyed = ${plan.keyed ? 'true' : 'false'}
local run = ${JSON.stringify(`ab-${Date.now().toString(36)}`)}
-- With keys, every request carries the fixed headers and one of its own.
local function headers()
  if not keyed then return nil end
  sent = sent + 1
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["Idempotency-Key"] = run .. "-" .. threadId .. "-" .. sent
  return h
end
local function item()
  local first = 1671028894 + math.random(0, 3599)
  return '{"event_name":"event-' .. math.random(0, 19) .. '","count":1,"first":' .. first .. ',"last":' .. (first + 60) .. '}'
end
function request()
  if perRequest == 1 then
    return wrk.format(nil, nil, headers(), '{"user_id":"user-' .. math.random(0, 4999) .. '","event_summaries":' .. item() .. '}')
  end
  -- Batches: 64 bodies built once and sent in turn, so building them costs the generator nothing.
  if #batches == 0 then
    for b = 1, 64 do
      local items = {}
      for i = 1, perRequest do items[i] = item() end
      batches[b] = '{"user_id":"user-' .. math.random(0, 4999) .. '","event_summaries":[' .. table.concat(items, ',') .. ']}'
    end
  end
  nextBatch = nextBatch % #batches + 1
  return wrk.format(nil, nil, headers(), batches[nextBatch])
end
function response(status)
  if status == 200 then ok = ok + 1 elseif status == 503 then refused = refused + 1 else other = other + 1 end
end
function done(summary, latency)
  local ok, refused, other = 0, 0, 0
  for _, t in ipairs(threads) do ok = ok + t:get("ok"); refused = refused + t:get("refused"); other = other + t:get("other") end
  local e = summary.errors
  io.write(string.format('result {"requests":%d,"durationUs":%d,"ok":%d,"refused":%d,"other":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, ok, refused, other, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

interface WrkResult {
  requests: number;
  durationUs: number;
  ok: number;
  refused: number;
  other: number;
  errors: number;
  p50Us: number;
  p99Us: number;
}

/** Runs one closed-loop plan with wrk (one thread, keep-alive) and returns it as the autocannon child would. */
export async function runWrk(wrk: string, plan: LoadPlan, onProgress?: (requests: number, elapsedMs: number) => void): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-wrk-'));
  const script = join(dir, 'summaries.lua');
  writeFileSync(script, luaScript(plan));
  const started = performance.now();
  // wrk prints nothing while it runs: the progress line shows the time only.
  const ticker = setInterval(() => onProgress?.(0, performance.now() - started), 1000);
  try {
    const args = [
      '-t1',
      `-c${plan.connections}`,
      `-d${plan.durationSeconds}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      `${plan.url}${plan.path}`,
    ];
    const child = await startProcess({ name: 'wrk', command: wrk, args, maxLines: 200 });
    const exit = await child.exited;
    const line = child.lines.find((l) => l.startsWith('result '));
    if (line === undefined) throw new Error(`wrk ended (code ${exit.code}) without a result:\n${child.lines.slice(-20).join('\n')}`);
    const r = JSON.parse(line.slice('result '.length)) as WrkResult;
    const byStatus: Record<string, number> = { '200': r.ok };
    if (r.refused > 0) byStatus['503'] = r.refused;
    if (r.other > 0) byStatus.other = r.other;
    return {
      requests: r.requests,
      // wrk does not say how many were in flight when it stopped: at most one per connection.
      unanswered: plan.connections,
      byStatus,
      errors: r.errors,
      elapsedMs: r.durationUs / 1000,
      p50Ms: r.p50Us / 1000,
      p99Ms: r.p99Us / 1000,
      generator: 'wrk',
    };
  } finally {
    clearInterval(ticker);
    rmSync(dir, { recursive: true, force: true });
  }
}
