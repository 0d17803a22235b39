import type { Document } from 'bson';
import { Double } from 'bson';
import { codeName } from './error-codes.js';

/**
 * An error a command returns to the client in mongod's shape:
 * `{ ok: 0, errmsg, code, codeName, ...extra, errorLabels? }`.
 * `extra` carries code-specific fields such as `keyPattern`/`keyValue` for duplicate keys.
 */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Document = {},
    readonly labels: string[] = [],
  ) {
    super(message);
  }

  /** mongod's codeName for this error. */
  get codeName(): string {
    return codeName(this.code);
  }

  /** The error as a write error entry (`writeErrors[i]`) at the given statement index. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }

  /** The error as a top-level command reply. */
  toReply(): Document {
    const reply: Document = {
      ok: new Double(0),
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    return reply;
  }
}

/** Shorthand for throwing a CommandError. */
export function fail(code: number, message: string, extra?: Document, labels?: string[]): never {
  throw new CommandError(code, message, extra, labels);
}
