import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { CommandDefinition } from './command-context.js';

/**
 * configureFailPoint (admin, test commands only): arms or disarms `failCommand`, the one fail
 * point drivers' and Tally's tests use. Answers `{ count }`, how often the previous
 * configuration fired, as mongod does. The dispatcher registers this command only when the
 * emulator runs with test commands enabled, so otherwise it is CommandNotFound, as on mongod.
 */
export const configureFailPointCommand: CommandDefinition = {
  names: ['configureFailPoint'],
  handler: (ctx) => {
    if (ctx.db !== 'admin') fail(ErrorCode.Unauthorized, 'configureFailPoint may only be run against the admin database.');
    const name = ctx.command.configureFailPoint;
    if (name !== 'failCommand' || !ctx.failCommand) {
      fail(ErrorCode.BadValue, `mongo-emulator implements only the failCommand fail point, not ${String(name)}`);
    }
    return { count: ctx.failCommand.configure(ctx.command.mode, ctx.command.data) };
  },
};
