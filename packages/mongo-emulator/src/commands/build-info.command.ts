import { MAX_BSON_OBJECT_SIZE } from '../wire/opcodes.js';
import type { CommandDefinition } from './command-context.js';

/** buildInfo: reports MongoDB 7.0.0, the version whose wire protocol the emulator speaks. */
export const buildInfoCommand: CommandDefinition = {
  names: ['buildInfo', 'buildinfo'],
  handler: () => ({
    version: '7.0.0',
    gitVersion: 'tally-mongo-emulator',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['inMemory'],
  }),
};
