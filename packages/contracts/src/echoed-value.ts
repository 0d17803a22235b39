/** `value` cut to `max` characters, so a client-sent value is never echoed back whole. */
export function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * A client-sent value as it may appear in an error message: JSON-quoted and cut to `max`
 * characters, so an 8 KB header is never echoed back whole.
 */
export function quoted(value: string, max = 40): string {
  return JSON.stringify(clip(value, max));
}
