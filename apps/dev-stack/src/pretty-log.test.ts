import { describe, expect, it } from 'vitest';
import { formatChildLine } from './pretty-log.js';

describe('formatChildLine', () => {
  it('turns a pino line into level, message and the fields worth reading', () => {
    const line = JSON.stringify({
      level: 30,
      time: '2026-01-01T00:00:00.000Z',
      pid: 42,
      service: 'ingress',
      name: 'ingress',
      msg: 'ingress listening',
      url: 'http://127.0.0.1:3000',
      note: 'two words',
    });
    expect(formatChildLine('ingress', line, false)).toBe('[ingress]  INFO  ingress listening url=http://127.0.0.1:3000 note="two words"');
  });

  it('shrinks request logs and prints an error stack under the line', () => {
    const request = JSON.stringify({
      level: 30,
      msg: 'request completed',
      req: { method: 'POST', url: '/events' },
      res: { statusCode: 200 },
    });
    expect(formatChildLine('ingress', request, false)).toBe('[ingress]  INFO  request completed req=POST /events res=200');
    const failure = JSON.stringify({
      level: 50,
      msg: 'job failed',
      err: { type: 'MongoError', message: 'down', stack: 'MongoError: down\n    at x (a.ts:1:1)' },
    });
    expect(formatChildLine('worker', failure, false)).toBe(
      '[worker]   ERROR job failed err=MongoError: down\n[worker]     at x (a.ts:1:1)',
    );
  });

  it('prints anything that is not JSON as it came', () => {
    expect(formatChildLine('admin', 'Node.js v20.20.2', false)).toBe('[admin]    Node.js v20.20.2');
  });
});
