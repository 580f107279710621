export interface RetryOptions {
  /** Extra attempts after the first. */
  retries: number;
  /** Delay before retry n (0-based), in ms. Default 200 * 2^n with ±25% jitter. */
  backoffMs?: (attempt: number) => number;
  /** Stops waiting and retrying; the last result is returned. */
  signal?: AbortSignal;
}

/**
 * Repeats `attempt` while `isRetryable` says its result is safe to repeat, with backoff and a
 * bound. The caller decides what is safe: for the paid API only answers known to be free.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  isRetryable: (result: T) => boolean,
  { retries, backoffMs = defaultBackoff, signal }: RetryOptions,
): Promise<T> {
  let result = await attempt();
  for (let n = 0; n < retries && isRetryable(result) && !signal?.aborted; n++) {
    if (!(await sleep(backoffMs(n), signal))) break;
    result = await attempt();
  }
  return result;
}

function defaultBackoff(attempt: number): number {
  const base = 200 * 2 ** attempt;
  return base * (0.75 + Math.random() * 0.5);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts; the timer and listener go either way. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
