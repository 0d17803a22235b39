import { z } from 'zod';
import type { IntercomError } from './error-list.js';

/** What a failed request schema's issues carry: the Intercom error its rule stated. */
interface IntercomIssueParams {
  intercom: IntercomError;
}

/**
 * A part of a request (its body, its query, one header) as a route schema declares it, with
 * its rules stated once. `rule` validates the input, states every problem as Intercom's error
 * with the field named (the messages clients have always read), and turns the input into what
 * the handler works with; `shape` describes the input in the OpenAPI document. The route's
 * validation and the parse functions other callers use (the import CLI, tests) run the same
 * rule, so they cannot drift apart.
 *
 * Why not the shape's own validation: several rules are not a shape's (exactly one identity
 * field, the clock's "at most a day ahead", the branch a summaries body takes by its shape), and
 * zod's own messages are not the ones Intercom's clients have been reading.
 */
export function requestSchema<T>(
  shape: z.ZodType,
  rule: (input: unknown) => { ok: true; value: T } | { ok: false; errors: IntercomError[] },
) {
  return z
    .unknown()
    .transform((input, ctx): T => {
      const result = rule(input);
      if (result.ok) return result.value;
      for (const error of result.errors) {
        ctx.addIssue({ code: 'custom', message: error.message, params: { intercom: error } satisfies IntercomIssueParams });
      }
      return z.NEVER;
    })
    .meta(documentation(shape));
}

/**
 * `shape` as JSON Schema, attached to the request schema as its metadata: an OpenAPI generator
 * reads a transform's input as "anything", and merges metadata into what it writes.
 */
function documentation(shape: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(shape, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return schema;
}

/**
 * The Intercom errors a failed request schema's issues carry, in order. An issue without one
 * (a schema built otherwise) still names its field and says what is wrong.
 */
export function intercomErrorsOf(issues: readonly z.core.$ZodIssue[]): IntercomError[] {
  return issues.map((issue) => {
    const carried = (issue as { params?: Partial<IntercomIssueParams> }).params?.intercom;
    if (carried) return carried;
    const field = issue.path.map(String).join('.');
    return { code: 'parameter_invalid', message: field ? `${field}: ${issue.message}` : issue.message, ...(field ? { field } : {}) };
  });
}
