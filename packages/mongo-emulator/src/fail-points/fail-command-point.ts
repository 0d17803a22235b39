import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** What an armed `failCommand` does to one matching command (mongod's `data` document). */
export interface FailCommandAction {
  errorCode?: number;
  /** Replace the labels mongod would compute for the error (or write-concern error). */
  errorLabels?: string[];
  closeConnection: boolean;
  blockTimeMS: number;
  /** Appended to the command's successful reply. */
  writeConcernError?: Doc;
}

/** The command a fail point is evaluated against. */
export interface FailCommandTarget {
  name: string;
  /** `db.collection` when the command's first field names a collection. */
  namespace: string;
  appName: string | undefined;
}

type Mode =
  | { kind: 'off' }
  | { kind: 'alwaysOn' }
  | { kind: 'times'; left: number }
  | { kind: 'skip'; left: number }
  | { kind: 'probability'; p: number };

/**
 * mongod's `failCommand` fail point: armed by `configureFailPoint`, it makes chosen commands
 * fail with an error, close their connection, block, or carry a write-concern error. `mode`
 * decides how often it fires: `alwaysOn`, `off`, `{times: N}` (the next N matching commands),
 * `{skip: N}` (all but the first N), `{activationProbability: p}`.
 */
export class FailCommandPoint {
  #mode: Mode = { kind: 'off' };
  #data: Doc = {};
  #commands = new Set<string>();
  /** How many times the point fired since it was last configured (mongod's `count`). */
  #entered = 0;

  /** Applies a `configureFailPoint` command; returns the count it replaced, as mongod does. */
  configure(mode: unknown, data: unknown): number {
    const parsed = parseMode(mode);
    const doc = data === undefined ? {} : data;
    if (!isPlainObject(doc)) fail(ErrorCode.TypeMismatch, "the 'data' field must be an object");
    if (parsed.kind !== 'off') {
      const list = doc.failCommands;
      if (!Array.isArray(list) || list.some((c) => typeof c !== 'string')) {
        fail(ErrorCode.BadValue, "'failCommands' must be an array of command names");
      }
      this.#commands = new Set(list as string[]);
    }
    const count = this.#entered;
    this.#mode = parsed;
    this.#data = doc;
    this.#entered = 0;
    return count;
  }

  /** The action for this command, or null; counts the activation against `times`/`skip`. */
  evaluate(target: FailCommandTarget): FailCommandAction | null {
    if (this.#mode.kind === 'off' || !this.#commands.has(target.name)) return null;
    const data = this.#data;
    if (typeof data.appName === 'string' && data.appName !== target.appName) return null;
    if (typeof data.namespace === 'string' && data.namespace !== target.namespace) return null;
    if (!this.#fires()) return null;
    this.#entered++;
    const action: FailCommandAction = {
      closeConnection: data.closeConnection === true,
      blockTimeMS: data.blockConnection === true && typeof data.blockTimeMS === 'number' ? data.blockTimeMS : 0,
    };
    if (typeof data.errorCode === 'number') action.errorCode = data.errorCode;
    if (Array.isArray(data.errorLabels)) action.errorLabels = data.errorLabels.map(String);
    if (isPlainObject(data.writeConcernError)) action.writeConcernError = data.writeConcernError;
    return action;
  }

  #fires(): boolean {
    const mode = this.#mode;
    switch (mode.kind) {
      case 'alwaysOn':
        return true;
      case 'times':
        if (mode.left <= 0) return false;
        mode.left--;
        if (mode.left === 0) this.#mode = { kind: 'off' };
        return true;
      case 'skip':
        if (mode.left <= 0) return true;
        mode.left--;
        return false;
      case 'probability':
        return Math.random() < mode.p;
      default:
        return false;
    }
  }
}

function parseMode(mode: unknown): Mode {
  if (mode === 'off') return { kind: 'off' };
  if (mode === 'alwaysOn') return { kind: 'alwaysOn' };
  if (isPlainObject(mode)) {
    const [key, value] = Object.entries(mode)[0] ?? [];
    const n = Number(value);
    if (key === 'times' && Number.isInteger(n) && n >= 0) return n === 0 ? { kind: 'off' } : { kind: 'times', left: n };
    if (key === 'skip' && Number.isInteger(n) && n >= 0) return { kind: 'skip', left: n };
    if (key === 'activationProbability' && n >= 0 && n <= 1) return { kind: 'probability', p: n };
  }
  fail(ErrorCode.TypeMismatch, "'mode' must be 'alwaysOn', 'off', {times: N}, {skip: N} or {activationProbability: p}");
}
