import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { compileUpdate } from './update-spec.js';

function failure(update: unknown): { code: number; message: string } {
  try {
    compileUpdate(update);
  } catch (err) {
    if (err instanceof CommandError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected compileUpdate to fail');
}

describe('compileUpdate', () => {
  it('recognises operator, replacement and pipeline updates', () => {
    expect(compileUpdate({ $set: { a: 1 } }).kind).toBe('operators');
    expect(compileUpdate({ a: 1 }).kind).toBe('replacement');
    expect(compileUpdate([{ $set: { a: 1 } }]).kind).toBe('pipeline');
  });

  it('detects conflicting paths across operators (40), naming the shorter path', () => {
    expect(failure({ $set: { a: 1 }, $inc: { a: 1 } })).toEqual({
      code: 40,
      message: "Updating the path 'a' would create a conflict at 'a'",
    });
    expect(failure({ $set: { 'a.b': 1 }, $unset: { a: '' } })).toEqual({
      code: 40,
      message: "Updating the path 'a' would create a conflict at 'a'",
    });
    expect(failure({ $set: { a: 1 }, $inc: { 'a.b.c': 1 } }).message).toBe("Updating the path 'a.b.c' would create a conflict at 'a'");
    expect(compileUpdate({ $set: { 'a.b': 1, 'a.c': 1, ab: 1 } }).kind).toBe('operators');
  });

  it('rejects what mongod rejects at parse time', () => {
    expect(failure({ $bogus: { a: 1 } }).code).toBe(9);
    expect(failure({ $set: 5 }).message).toBe(
      'Modifiers operate on fields but we found type int instead. For example: {$mod: {<field>: ...}} not {$set: 5}',
    );
    expect(failure({ $inc: { a: 'x' } })).toEqual({ code: 14, message: 'Cannot increment with non-numeric argument: {a: "x"}' });
    expect(failure({ $set: { '': 1 } }).code).toBe(56);
    expect(failure({ $set: { 'a..b': 1 } }).code).toBe(56);
    expect(failure({ a: 1, $set: { b: 1 } }).code).toBe(52);
    expect(failure({ $push: { a: { $each: 1 } } }).code).toBe(2);
  });
});
