/**
 * MongoDB wire-protocol emulator: an in-memory server the official `mongodb` driver talks to
 * over TCP, for tests and local runs on machines without MongoDB. See README.md for what it
 * reproduces and where it differs from mongod.
 */

export type { MongoEmulator, MongoEmulatorOptions } from './server/emulator-server.js';
export { REPLICA_SET_NAME, startMongoEmulator } from './server/emulator-server.js';
