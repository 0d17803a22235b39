import { ProcessingMode } from 'mingo';

/**
 * Options for every mingo Query. Server-side JavaScript ($where, $function, $accumulator) is off:
 * mingo would run it inside this process with full privileges, where mongod sandboxes it.
 */
export const QUERY_OPTIONS = Object.freeze({ scriptEnabled: false });

/**
 * Options for every mingo Aggregator: inputs are cloned because stages such as $addFields may
 * modify documents in place, and stored documents must never change.
 */
export const PIPELINE_OPTIONS = Object.freeze({ scriptEnabled: false, processingMode: ProcessingMode.CLONE_INPUT });
