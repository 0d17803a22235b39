/** What a newcomer needs once the stack is up: where it is, how to authenticate, a first request. */
export interface BannerInfo {
  apiUrl: string;
  adminUrl: string;
  adminUser: string;
  adminPassword: string;
  token: string;
  /** The token's workspace. */
  workspace: string;
  redisUrl: string;
  mongoUrl: string;
  mongoIsEmulator: boolean;
  /** Where `npm run tally` finds this stack. */
  stackFile: string;
  /** Each process's Prometheus endpoint (METRICS_PORT=0: free ports). */
  metricsUrls?: Partial<Record<'ingress' | 'worker' | 'admin', string>>;
  /** Swagger UI of the API (on the admin port). */
  apiDocsUrl?: string;
}

/** The ready banner, with curl lines that work when pasted as they are. */
export function readyBanner(info: BannerInfo): string {
  const auth = `-H 'Authorization: Bearer ${info.token}'`;
  const body = JSON.stringify({
    user_id: '314159',
    event_summaries: { event_name: 'invited-friend', count: 1, first: 1671028894, last: 1671028894 },
  });
  const rule = '─'.repeat(78);
  return [
    rule,
    'Tally is up.',
    '',
    `  API        ${info.apiUrl}`,
    `  Admin      ${info.adminUrl}   (user ${info.adminUser}, password ${info.adminPassword})`,
    ...(info.apiDocsUrl ? [`  API docs   ${info.apiDocsUrl}`] : []),
    `  Token      ${info.token}   (workspace ${info.workspace})`,
    `  Redis      ${info.redisUrl}`,
    `  MongoDB    ${info.mongoUrl}${info.mongoIsEmulator ? '   (emulator: in memory only; Redis started empty with it)' : ''}`,
    ...Object.entries(info.metricsUrls ?? {}).map(([app, url]) => `  Metrics    ${url}   (${app})`),
    '',
    'Send an event summary:',
    '',
    `  curl -sS -X POST ${info.apiUrl}/events/summaries ${auth} -H 'Content-Type: application/json' -d '${body}'`,
    '',
    'Read it back (reads show what a worker has applied: a summary answered 200 appears a',
    'moment later, once the worker has written it to MongoDB):',
    '',
    `  curl -sS '${info.apiUrl}/events?type=user&user_id=314159&summary=true' ${auth}`,
    '',
    'Operate it from another terminal (the CLI finds this stack through',
    `${info.stackFile}):`,
    '',
    '  npm run -s tally -- tokens create --workspace acme',
    '  npm run -s tally -- dlq list',
    `  npm run -s tally -- export --workspace ${info.workspace} --out ${info.workspace}.ndjson`,
    '',
    'Press Ctrl-C to stop everything.',
    rule,
  ].join('\n');
}

/** Loud, because a newcomer would otherwise expect their data to be there tomorrow. */
export const EMULATOR_WARNING = [
  '!'.repeat(78),
  '!! MONGO_URL is not set: using the in-memory MongoDB emulator.',
  '!! Everything written to MongoDB is LOST when this process stops.',
  '!! For data that persists, run a real MongoDB (replica set) and set MONGO_URL.',
  '!'.repeat(78),
].join('\n');
