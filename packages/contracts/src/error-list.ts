import { z } from 'zod';

/** One entry of Intercom's `error.list`. `field` names the offending parameter, when there is one. */
export interface IntercomError {
  code: string;
  message: string;
  field?: string;
}

/** Intercom's error body: every 4xx and 5xx Tally sends has this shape. */
export interface ErrorList {
  type: 'error.list';
  request_id: string;
  errors: IntercomError[];
}

export function errorList(requestId: string, errors: IntercomError[]): ErrorList {
  return { type: 'error.list', request_id: requestId, errors };
}

/** The `error.list` body as a schema, for route schemas and the OpenAPI document. */
export const errorListSchema = z
  .object({
    type: z.literal('error.list'),
    request_id: z.string().describe('The X-Request-Id of the answer; quote it when asking for help'),
    errors: z
      .array(
        z.object({
          code: z.string().describe('What kind of error, e.g. parameter_invalid, unauthorized, rate_limit_exceeded'),
          message: z.string(),
          field: z.string().optional().describe('The body field, query parameter or header at fault'),
        }),
      )
      .min(1),
  })
  .describe("Intercom's error body: every 4xx and 5xx Tally sends has this shape");
