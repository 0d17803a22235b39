/**
 * Rejects with `message` if `promise` has not settled within `ms`. The operation itself is not
 * cancelled; the caller just stops waiting for it (and answers 503 instead of hanging).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
