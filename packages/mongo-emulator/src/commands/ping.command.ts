import type { CommandDefinition } from './command-context.js';

/** ping: `{ ok: 1 }`. */
export const pingCommand: CommandDefinition = { names: ['ping'], inTransaction: true, handler: () => ({}) };
