/**
 * Who is calling: the identity every request carries once it is authenticated, by an API key,
 * a JWT or, on an open server, as the one anonymous client. Its id names the client in limits,
 * usage, metrics and logs; it is never personal data.
 */
export interface Client {
  id: string;
  /** Sees every client's usage in `ktpUsage`. */
  admin: boolean;
  /** Recognitions per minute; undefined: no limit. */
  requestsPerMinute?: number;
  /** Charged calls to the paid API per UTC day; undefined: no budget. */
  paidCallsPerDay?: number;
}

/** The client of a server with no keys and no JWT configured (open, said so once at start). */
export const ANONYMOUS_CLIENT: Client = { id: 'anonymous', admin: false };

/**
 * A JWT client's id is its claim behind this prefix, a namespace of its own: a token whose claim
 * equals a key file's id is never that key's client (its cache entries, usage, budgets). Key
 * files may not use the prefix (api-keys.ts).
 */
export const JWT_CLIENT_PREFIX = 'jwt:';

/** Why a request was refused before any work; printed as HTTP 401. */
export interface AuthRefusal {
  refused: true;
  /** For people; never echoes the key or token. */
  message: string;
}

export function isRefusal(value: Client | AuthRefusal): value is AuthRefusal {
  return (value as AuthRefusal).refused === true;
}
