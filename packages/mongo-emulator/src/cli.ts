import { parseArgs } from 'node:util';
import type { MongoEmulator } from './index.js';
import { startMongoEmulator } from './index.js';
import { rateLimitedLogger } from './server/rate-limited-logger.js';

/**
 * `npm run emulator -- --port 27017 [--host 127.0.0.1] [--ttl-sweep-ms 60000] [--standalone]
 *   [--setParameter enableTestCommands=1]`
 * Prints `mongo-emulator listening on <uri>` once ready (tests wait for that line) and stops on
 * SIGINT/SIGTERM.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    'ttl-sweep-ms': { type: 'string' },
    standalone: { type: 'boolean', default: false },
    // mongod's spelling, so scripts written for mongod work unchanged.
    setParameter: { type: 'string', multiple: true, default: [] },
  },
});

let enableTestCommands = false;
for (const param of values.setParameter) {
  const match = /^enableTestCommands=(0|1|true|false)$/.exec(param);
  if (!match) {
    process.stderr.write(`mongo-emulator: unsupported --setParameter ${param} (only enableTestCommands=1 or =0)\n`);
    process.exit(2);
  }
  enableTestCommands = match[1] === '1' || match[1] === 'true';
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`mongo-emulator: invalid --port ${values.port}\n`);
  process.exit(2);
}
// Handlers go in before the "listening" line: a supervisor may signal as soon as it reads it.
let emulator: MongoEmulator | null = null;
let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`mongo-emulator: ${signal} received, stopping\n`);
  void (emulator ? emulator.close() : Promise.resolve()).then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

const ttl = values['ttl-sweep-ms'] === undefined ? undefined : Number(values['ttl-sweep-ms']);

emulator = await startMongoEmulator({
  port,
  host: values.host,
  ...(ttl === undefined ? {} : { ttlSweepMs: ttl }),
  standalone: values.standalone,
  enableTestCommands,
  logger: rateLimitedLogger((msg) => process.stderr.write(`${msg}\n`)),
});

process.stderr.write(
  `${[
    '',
    '  ************************************************************************',
    '  *  WARNING: mongo-emulator keeps ALL DATA IN MEMORY ONLY.              *',
    '  *  Everything is lost when this process stops. Never use it in         *',
    '  *  production: production always runs against a real MongoDB.          *',
    '  ************************************************************************',
    '',
  ].join('\n')}\n`,
);
process.stdout.write(`mongo-emulator listening on ${emulator.uri}\n`);
