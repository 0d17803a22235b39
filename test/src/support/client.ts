import { TOKENS } from './stack.js';

export type Workspace = keyof typeof TOKENS;

/** A tiny Intercom-style HTTP client over fetch, as any user's code would be. */
export function client(baseUrl: string, workspace: Workspace = 'acme') {
  const headers = { authorization: `Bearer ${TOKENS[workspace]}`, 'content-type': 'application/json', accept: 'application/json' };
  return {
    postSummaries: (body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${baseUrl}/events/summaries`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) }),
    postEvent: (body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${baseUrl}/events`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) }),
    summary: async (userId: string) => {
      const res = await fetch(`${baseUrl}/events?type=user&user_id=${encodeURIComponent(userId)}&summary=true`, { headers });
      if (res.status !== 200) throw new Error(`GET /events answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as {
        type: string;
        user_id: string;
        events: { name: string; count: number; first: string; last: string }[];
      };
    },
  };
}
