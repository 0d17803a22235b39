import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { CommandDefinition } from './command-context.js';

/**
 * setParameter (admin): only `transactionLifetimeLimitSeconds`, the one server parameter whose
 * effect the emulator reproduces. Answers `{ was, ok: 1 }` like mongod; anything else is refused
 * rather than silently ignored.
 */
export const setParameterCommand: CommandDefinition = {
  names: ['setParameter'],
  handler: (ctx) => {
    if (ctx.db !== 'admin') fail(ErrorCode.Unauthorized, 'setParameter may only be run against the admin database.');
    const value = ctx.command.transactionLifetimeLimitSeconds;
    const others = Object.keys(ctx.command).filter(
      (k) => !['setParameter', 'transactionLifetimeLimitSeconds', '$db', 'lsid', '$clusterTime', '$readPreference', 'comment'].includes(k),
    );
    if (others.length > 0)
      fail(
        ErrorCode.InvalidOptions,
        `mongo-emulator supports only transactionLifetimeLimitSeconds in setParameter, not ${others.join(', ')}`,
      );
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      fail(ErrorCode.BadValue, 'transactionLifetimeLimitSeconds must be greater than or equal to 1s');
    }
    const was = ctx.sessions.transactionLifetimeMs / 1000;
    ctx.sessions.transactionLifetimeMs = value * 1000;
    return { was };
  },
};
