import { setTimeout as sleep } from 'node:timers/promises';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { CommandError } from '../errors/command-error.js';
import { mongodErrorLabels } from './error-labels.js';
import type { FailCommandAction, FailCommandPoint } from './fail-command-point.js';

/** What the dispatcher must do for one command under an armed `failCommand`. */
export interface FailCommandEffects {
  /** Close the connection without a reply (the client sees a network error). */
  closeConnection: boolean;
  /** Fail the command with this error instead of running it. */
  error: CommandError | null;
  /** Add the configured write-concern error to the command's successful reply. */
  decorate(reply: Doc): Doc;
}

const NONE: FailCommandEffects = { closeConnection: false, error: null, decorate: (reply) => reply };

/**
 * Evaluates the fail point for a command and performs its blocking part (mongod sleeps
 * `blockTimeMS` before anything else, holding the connection); returns the rest for the
 * dispatcher to apply. Errors carry the labels mongod would compute unless `errorLabels`
 * overrides them.
 */
export async function failCommandEffects(
  point: FailCommandPoint | null,
  command: Doc,
  db: string,
  appName: string | undefined,
): Promise<FailCommandEffects> {
  if (!point) return NONE;
  const name = Object.keys(command)[0] ?? '';
  const target = command[name];
  const action = point.evaluate({ name, namespace: `${db}.${typeof target === 'string' ? target : '$cmd'}`, appName });
  if (!action) return NONE;
  if (action.blockTimeMS > 0) await sleep(action.blockTimeMS);
  return {
    closeConnection: action.closeConnection,
    error: action.errorCode === undefined ? null : failure(action, command, action.errorCode),
    decorate: (reply) => withWriteConcernError(reply, action, command),
  };
}

function failure(action: FailCommandAction, command: Doc, code: number): CommandError {
  const labels = action.errorLabels ?? mongodErrorLabels(command, code, undefined);
  return new CommandError(code, "Failing command via 'failCommand' failpoint", {}, labels);
}

function withWriteConcernError(reply: Doc, action: FailCommandAction, command: Doc): Doc {
  const wce = action.writeConcernError;
  if (!wce) return reply;
  const code = isPlainObject(wce) && typeof wce.code === 'number' ? wce.code : undefined;
  const labels = action.errorLabels ?? mongodErrorLabels(command, undefined, code);
  return labels.length > 0 ? { ...reply, writeConcernError: wce, errorLabels: labels } : { ...reply, writeConcernError: wce };
}
