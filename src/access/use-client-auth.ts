import type { Plugin } from 'graphql-yoga';
import type { Authenticate } from './authenticate.ts';
import { isRefusal, type Client } from './client.ts';

/** What the gateway hands Yoga beside a request it already authenticated (before reading its body). */
export interface ClientContext {
  client?: Client;
}

export interface ClientAuthOptions {
  /** Who the request is from, by its headers. */
  authenticate: Authenticate;
}

const clients = new WeakMap<Request, Client>();

/** The client a request was authenticated as by `useClientAuth`; throws when it never was (a wiring bug). */
export function clientOf(request: Request): Client {
  const client = clients.get(request);
  if (!client) throw new Error('request reached a resolver without passing useClientAuth');
  return client;
}

/**
 * Every GraphQL request names its client before any work: a wrong or missing credential gets an
 * HTTP 401 with a GraphQL error body (not an `OcrError`: nothing was recognised, and nothing will
 * be). CORS preflights and the GraphiQL page, which a browser fetches without credentials, pass.
 * The gateway authenticates POSTs before reading their bodies and hands the client in the server
 * context; this plugin trusts that, and authenticates everything else itself.
 */
export function useClientAuth({ authenticate }: ClientAuthOptions): Plugin<Record<string, unknown>, ClientContext> {
  return {
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      if (request.method === 'OPTIONS') return;
      if (request.method === 'GET' && !new URL(request.url).searchParams.has('query') && request.headers.get('accept')?.includes('text/html')) return;
      const known = serverContext?.client;
      const found = known ?? (await authenticate(request.headers));
      if (isRefusal(found)) {
        endResponse(unauthorized(found.message, fetchAPI.Response));
        return;
      }
      clients.set(request, found);
    },
  };
}

/** A GraphQL-shaped 401: `errors[0].extensions.code` is `UNAUTHENTICATED`, as Apollo and Hive name it. */
export function unauthorized(message: string, ResponseClass: typeof Response = Response): Response {
  return ResponseClass.json(
    { errors: [{ message: `Unauthorized: ${message}`, extensions: { code: 'UNAUTHENTICATED' } }] },
    { status: 401, headers: { 'www-authenticate': 'Bearer' } },
  );
}
