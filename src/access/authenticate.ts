import { ANONYMOUS_CLIENT, type AuthRefusal, type Client } from './client.ts';
import type { KeyStore } from './key-store.ts';

/**
 * Decides who a request is from, from its headers alone: nothing is read or parsed before it.
 * Synchronous for keys (a caller may start reading the body in the same tick, as a Node stream
 * in flowing mode needs); a promise only when a token must be verified.
 */
export type Authenticate = (headers: Headers) => Client | AuthRefusal | Promise<Client | AuthRefusal>;

/** A bearer credential verified elsewhere (a JWT); undefined when the token is not one it knows. */
export type VerifyToken = (token: string) => Promise<Client | AuthRefusal>;

export interface AuthenticatorOptions {
  keys: KeyStore;
  /** JWT verification, when configured: a bearer token that is not an API key goes here. */
  verifyToken?: VerifyToken | undefined;
}

/** Longest credential looked at; anything longer is refused unread (a huge token costs nothing). */
export const MAX_CREDENTIAL_LENGTH = 4096;
// RFC 6750's token68: what a bearer credential may contain.
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * `Authorization: Bearer <key or JWT>` or `X-API-Key: <key>`. With neither keys nor JWT
 * configured the server is open and every request is the anonymous client.
 */
export function createAuthenticator({ keys, verifyToken }: AuthenticatorOptions): Authenticate {
  const open = !keys.configured && !verifyToken;
  return (headers) => {
    if (open) return ANONYMOUS_CLIENT;
    const authorization = headers.get('authorization');
    const apiKey = headers.get('x-api-key');
    if (authorization === null && apiKey === null) return refuse('missing credentials: send Authorization: Bearer <key> or X-API-Key');
    if ((authorization?.length ?? 0) > MAX_CREDENTIAL_LENGTH || (apiKey?.length ?? 0) > MAX_CREDENTIAL_LENGTH) return refuse('credential too long');
    if (apiKey !== null) {
      // Both headers at once must name one client; otherwise which one is meant is a guess.
      const client = keys.find(apiKey.trim());
      if (!client) return refuse('invalid API key');
      if (authorization === null) return client;
    }
    const bearer = BEARER.exec(authorization!.trim());
    if (!bearer) return refuse('malformed Authorization header: expected "Bearer <credential>"');
    const token = bearer[1]!;
    const byKey = keys.find(token);
    if (byKey) return apiKey === null || keys.find(apiKey.trim())?.id === byKey.id ? byKey : refuse('Authorization and X-API-Key name different clients');
    if (verifyToken && token.split('.').length === 3) return verifyToken(token);
    return refuse('invalid API key');
  };
}

function refuse(message: string): AuthRefusal {
  return { refused: true, message };
}
