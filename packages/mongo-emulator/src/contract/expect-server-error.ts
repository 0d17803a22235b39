import { expect } from 'vitest';

/** What a test expects of a server error; only the given fields are compared. */
export interface ExpectedServerError {
  code: number;
  codeName?: string;
  message?: string | RegExp;
  labels?: string[];
}

/**
 * Awaits a driver call that must fail and checks the server error's code, name, message and
 * labels. (Error `message` is not enumerable, so toMatchObject cannot check it.)
 */
export async function expectServerError(call: Promise<unknown>, expected: ExpectedServerError): Promise<Record<string, unknown>> {
  let caught: unknown = null;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the call to fail').toBeInstanceOf(Error);
  const err = caught as Error & Record<string, unknown> & { hasErrorLabel?: (l: string) => boolean };
  expect(err.code).toBe(expected.code);
  if (expected.codeName !== undefined) expect(err.codeName).toBe(expected.codeName);
  if (typeof expected.message === 'string') expect(err.message).toBe(expected.message);
  else if (expected.message) expect(err.message).toMatch(expected.message);
  for (const label of expected.labels ?? []) expect(err.hasErrorLabel?.(label), `label ${label}`).toBe(true);
  return err;
}
