/**
 * The storage engine's logical clock: every commit gets the next timestamp, and versions older
 * than the oldest open snapshot can be discarded.
 */
export interface Clock {
  /** A new commit timestamp. */
  next(): number;
  /** The newest timestamp every open transaction can see (Infinity when none is open). */
  oldestSnapshot(): number;
}
