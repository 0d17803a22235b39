/**
 * Wraps a line logger so it writes at most `limit` lines per `windowMs`, then one note that
 * lines were dropped. The CLI logs to stderr, which on Linux blocks when it is a pipe nobody
 * reads; a client spraying garbage must not be able to stall the server through its log.
 */
export function rateLimitedLogger(write: (line: string) => void, limit = 20, windowMs = 10_000): (line: string) => void {
  let windowStart = 0;
  let count = 0;
  let dropped = 0;
  return (line) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      if (dropped > 0) write(`mongo-emulator: ${dropped} diagnostic line(s) suppressed`);
      windowStart = now;
      count = 0;
      dropped = 0;
    }
    if (count < limit) {
      count++;
      write(line);
    } else {
      dropped++;
    }
  };
}
