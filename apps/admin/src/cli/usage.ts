/** The CLI's help text: printed by `--help`, and after every usage error. */
export const USAGE = `Usage: npm run tally -- dlq <command> [options]

Dead-letter operations on the summaries queue (BullMQ's failed set). A job lands there when its
payload is malformed or when it failed every retry (about 16 hours of MongoDB outage).

Commands:
  dlq list                  Show failed jobs, newest failure first.
      --limit N             Show at most N jobs (default 50, 0 = all).
  dlq retry --id ID         Move a failed job back to the queue (repeat --id for several).
  dlq retry --all           Re-drive every job that is in the failed set right now.
  dlq drop --id ID          Delete a failed job for good (repeat --id for several).
  dlq drop --all --yes      Delete every job that is in the failed set right now.

Options:
  --json                    Machine-readable output on stdout (progress stays on stderr).
  -h, --help                Show this text.

Environment:
  REDIS_URL                 Redis to connect to (default redis://127.0.0.1:6379).
  QUEUE_PREFIX              BullMQ key prefix of the deployment (default tally).

Retrying is safe: the worker's ingest ledger applies a job at most once, so re-driving a job
that was in fact applied changes nothing. A retried job starts a fresh set of attempts.

Exit codes: 0 done, 1 some jobs could not be handled or Redis is unreachable, 2 usage error,
78 invalid environment.`;
