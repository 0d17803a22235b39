import { eventSummaryResponse } from '@tally/contracts';
import { describe, expect, it } from 'vitest';
import { summaryLines, unixSeconds } from './source-summaries.reader.js';

describe('reading an Intercom event.summary as import lines', () => {
  it('turns Intercom times into the Unix seconds the import takes, exactly', () => {
    const response = eventSummaryResponse({ kind: 'user_id', value: 'ann' }, [
      { event_name: 'signed-up', count: 3, first: new Date(1_700_000_000_000), last: new Date(1_700_000_123_000) },
    ]);
    expect(response.events[0]?.first).toBe('2023-11-14T22:13:20.000+00:00');
    expect(summaryLines('ann', response).map((l) => JSON.parse(l))).toEqual([
      { user_id: 'ann', event_name: 'signed-up', count: 3, first: 1_700_000_000, last: 1_700_000_123 },
    ]);
  });

  it('passes a time that does not parse on as it is, for the API to reject by name', () => {
    expect(unixSeconds('yesterday')).toBe('yesterday');
  });
});
