/** The CLI's help text: printed by `--help`, and after every usage error. */
export const USAGE = `Usage: npm run tally -- dlq <command> [options]
       npm run tally -- tokens <command> [options]

Dead-letter operations on the summaries queue (BullMQ's failed set). A job lands there when its
payload is malformed or when it failed every retry (about 16 hours of MongoDB outage).

Commands:
  dlq list                  Show failed jobs, newest failure first.
      --limit N             Show at most N jobs (default 50, 0 = all).
  dlq retry --id ID         Move a failed job back to the queue (repeat --id for several).
  dlq retry --all           Re-drive every job that is in the failed set right now.
  dlq drop --id ID          Delete a failed job for good (repeat --id for several).
  dlq drop --all --yes      Delete every job that is in the failed set right now.

API tokens in MongoDB (api_tokens; only their sha256 is stored). Every ingress replica reloads
them every TOKEN_REFRESH_MS (10 s by default), alongside its TALLY_TOKENS.

  tokens create --workspace W [--label L]
                            Issue a token for workspace W. The token is printed once, alone on
                            stdout: it cannot be shown again.
  tokens list [--workspace W]
                            Show tokens (id, workspace, age, active or revoked, label).
  tokens revoke --id ID     Revoke the token with this id (as tokens list shows it).

Options:
  --json                    Machine-readable output on stdout (progress stays on stderr).
  -h, --help                Show this text.

Environment:
  REDIS_URL                 dlq: Redis to connect to (default redis://127.0.0.1:6379).
  QUEUE_PREFIX              dlq: BullMQ key prefix of the deployment (default tally).
  MONGO_URL                 tokens: MongoDB to connect to (required).
  MONGO_DB                  tokens: database holding api_tokens (default tally).

Retrying is safe: the worker's ingest ledger applies a job at most once, so re-driving a job
that was in fact applied changes nothing. A retried job starts a fresh set of attempts.

Exit codes: 0 done, 1 some jobs could not be handled, no such token, or Redis or MongoDB is
unreachable, 2 usage error, 78 invalid environment.`;
