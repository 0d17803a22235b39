import type { CommandDefinition } from './command-context.js';

/** endSessions: forgets the sessions and aborts their open transactions. */
export const endSessionsCommand: CommandDefinition = {
  names: ['endSessions'],
  handler: (ctx) => {
    const lsids = ctx.command.endSessions;
    if (Array.isArray(lsids)) ctx.sessions.end(lsids);
    return {};
  },
};
