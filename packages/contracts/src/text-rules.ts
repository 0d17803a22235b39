import { z } from 'zod';

declare global {
  interface String {
    /** ES2024; Node 20 has it. False when the string holds a lone UTF-16 surrogate. */
    isWellFormed(): boolean;
  }
}

/**
 * What a string must be before it may reach the store. MongoDB's BSON encoder writes a lone
 * UTF-16 surrogate as U+FFFD, so two different names would collide on the unique index and
 * fail a whole batch, other workspaces' requests included: such strings are refused at the door.
 */
export function isWellFormedText(value: string): boolean {
  return value.isWellFormed();
}

/** C0 and C1 control characters and DEL: never part of a user id, an event name or a key. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** True for a string fit to identify something: well-formed and free of control characters. */
export function isIdentityText(value: string): boolean {
  return isWellFormedText(value) && !CONTROL.test(value);
}

/** Why `value` is not identity text, or null when it is: the message every 400 carries. */
export function identityTextProblem(value: string): string | null {
  if (!isWellFormedText(value)) return 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
  if (CONTROL.test(value)) return 'must not contain control characters (NUL, newline, tab, …)';
  return null;
}

/**
 * A name that identifies something in the store (`user_id`, `event_name`, a workspace): 1 to
 * `maxLength` characters of well-formed Unicode, no control characters.
 */
export function identityString(maxLength: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .superRefine((value, ctx) => {
      const problem = identityTextProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Free text kept or echoed (an email, metadata values): well-formed Unicode, control characters allowed. */
export const wellFormedString = z.string().refine(isWellFormedText, 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)');
