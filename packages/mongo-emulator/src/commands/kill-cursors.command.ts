import { Long } from 'bson';
import type { CommandDefinition } from './command-context.js';

/** killCursors: `{ cursorsKilled, cursorsNotFound, cursorsAlive, cursorsUnknown }`. */
export const killCursorsCommand: CommandDefinition = {
  names: ['killCursors'],
  inTransaction: true,
  handler: (ctx) => {
    const ids = Array.isArray(ctx.command.cursors) ? ctx.command.cursors : [];
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = raw instanceof Long ? raw.toNumber() : Number(raw);
      (ctx.cursors.kill(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  },
};
