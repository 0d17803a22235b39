import { z } from 'zod';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency.js';
import { MAX_COUNT, MAX_NAME_LENGTH } from './summary.schema.js';

/** Room for 10 keys of 255 characters with values of 1,000, JSON-escaped. */
const MAX_METADATA_JSON_LENGTH = 64 * 1024;

const seconds = z.number().int().min(0);

/** A raw event's metadata, as canonical JSON (validated at the door; bounded here as a backstop). */
const rawEventPart = z.object({ metadata: z.string().max(MAX_METADATA_JSON_LENGTH).optional() });

/** One accepted HTTP request inside a micro-batch job. */
const summaryBatchRequest = z.object({
  requestId: z.string().min(1),
  workspace: z.string().min(1),
  /** Client `Idempotency-Key` (or a raw event's Intercom de-duplication key), scoped to the workspace. */
  idempotencyKey: z
    .string()
    .min(1)
    .max(IDEMPOTENCY_KEY_MAX_LENGTH + 64)
    .optional(),
  /** Namespace of `idempotencyKey`: a client key (the default) or a raw event's Intercom key. */
  keyKind: z.enum(['key', 'event']).optional(),
  /** Fingerprint of the request's canonical body; the ledger keeps it to see a reused key. */
  fingerprint: z.string().min(1).max(128).optional(),
  summaries: z
    .array(
      z
        .object({
          user_id: z.string().min(1).max(MAX_NAME_LENGTH),
          /** Absent (every job written before identities existed): the value is a `user_id`. */
          identity: z.enum(['email', 'intercom_user_id']).optional(),
          event_name: z.string().min(1).max(MAX_NAME_LENGTH),
          count: z.number().int().min(1).max(MAX_COUNT),
          first: seconds,
          last: seconds,
        })
        .refine((s) => s.first <= s.last, 'first must not be after last'),
    )
    .min(1),
  /** Present when the request is a raw `POST /events`: its one summary is also listed as an event. */
  event: rawEventPart.optional(),
});

/**
 * Payload of an `apply-summaries` job: every request the ingress accepted in one micro-batch.
 * Versioned so a worker can refuse a payload it does not understand instead of misapplying it.
 */
export const summaryBatchJobSchema = z.object({
  v: z.literal(1),
  requests: z.array(summaryBatchRequest).min(1),
});

export type SummaryBatchJob = z.infer<typeof summaryBatchJobSchema>;
export type SummaryBatchRequest = z.infer<typeof summaryBatchRequest>;
