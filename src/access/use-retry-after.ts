import type { Plugin } from 'graphql-yoga';

const waits = new WeakMap<Request, number>();

/** Notes that an answer to `request` was refused by a limit for `seconds`; the longest wait wins. */
export function noteRetryAfter(request: Request | undefined, seconds: number | undefined): void {
  if (!request || seconds === undefined) return;
  waits.set(request, Math.max(seconds, waits.get(request) ?? 0));
}

/**
 * `Retry-After` on a GraphQL answer that carries a `RATE_LIMITED` or `QUOTA_EXCEEDED` OcrError.
 * The HTTP status stays 200: the refusal is data (one operation may hold several recognitions,
 * and GraphQL clients read `data` only from a 2xx); the header lets a proxy or an HTTP-level
 * retry policy wait as long as the `retryAfterSeconds` field says, without reading the body.
 */
export function useRetryAfter(): Plugin {
  return {
    onResponse({ request, response }) {
      const seconds = waits.get(request);
      if (seconds !== undefined) response.headers.set('retry-after', String(seconds));
    },
  };
}
