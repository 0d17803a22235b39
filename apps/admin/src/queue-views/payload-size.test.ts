import { describe, expect, it } from 'vitest';
import { payloadSize } from './payload-size.js';

describe('payloadSize', () => {
  it('counts requests and the summaries inside them', () => {
    const data = {
      v: 1,
      requests: [
        { requestId: 'a', workspace: 'w', summaries: [{}, {}] },
        { requestId: 'b', workspace: 'w', summaries: [{}] },
      ],
    };
    expect(payloadSize(data)).toEqual({ requests: 2, summaries: 3 });
  });

  it('survives malformed payloads, which is what the dead-letter set holds', () => {
    expect(payloadSize(null)).toEqual({ requests: null, summaries: null });
    expect(payloadSize('oops')).toEqual({ requests: null, summaries: null });
    expect(payloadSize({ v: 1 })).toEqual({ requests: null, summaries: null });
    expect(payloadSize({ requests: 'nope' })).toEqual({ requests: null, summaries: null });
    expect(payloadSize({ requests: [null, { summaries: 'x' }, { summaries: [1] }] })).toEqual({ requests: 3, summaries: 1 });
  });
});
