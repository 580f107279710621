import type { YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors']>;

/**
 * Yoga's `cors` from `CORS_ORIGINS`. Yoga's default reflects any `Origin` with
 * `access-control-allow-credentials: true`, which lets any web page spend a logged-in user's
 * access. Here:
 * - with an allow-list, only a listed origin gets CORS headers, with credentials; any other gets
 *   none at all, so the browser keeps the answer from the page;
 * - without one (local development), any origin may call, never with credentials: a page can
 *   send its own `Authorization` header, but no browser cookie or stored credential rides along.
 */
export function corsOptions(allowList: readonly string[] | undefined): CorsOption {
  const common = {
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'x-api-key', 'content-type', 'x-graphql-yoga-csrf', 'apollo-require-preflight'],
    exposedHeaders: ['retry-after'],
  };
  if (!allowList) return { ...common, origin: '*', credentials: false };
  return (request: Request) => {
    const origin = request.headers.get('origin');
    return origin !== null && allowList.includes(origin) ? { ...common, origin, credentials: true } : false;
  };
}
