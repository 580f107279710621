import { createInlineSigningKeyProvider, createRemoteJwksSigningKeyProvider } from '@graphql-yoga/plugin-jwt';
import jwt from 'jsonwebtoken';
import { JWT_CLIENT_PREFIX, type AuthRefusal, type Client } from './client.ts';
import type { VerifyToken } from './authenticate.ts';

export interface JwtOptions {
  /** `JWT_JWKS_URL`: the identity provider's key set (keys found by the token's `kid`). */
  jwksUrl?: string | undefined;
  /** `JWT_PUBLIC_KEY`: one PEM public key, when there is no JWKS. */
  publicKey?: string | undefined;
  /** `JWT_ISSUER`: the `iss` every token must carry. */
  issuer?: string | undefined;
  /** `JWT_AUDIENCE`: the `aud` every token must carry. */
  audience?: string | undefined;
  /** `JWT_CLIENT_CLAIM`, default `azp`: the claim that names the client (limits, usage, metrics, logs). */
  clientClaim: string;
  /**
   * `JWT_MAX_AGE_SECONDS`: lets a token without `exp` in, when its `iat` is at most this old.
   * Unset (the default): a token without `exp` is refused, since it would never stop working.
   */
  maxAgeSeconds?: number | undefined;
}


/**
 * Asymmetric algorithms only: a public key can then never be used as an HMAC secret (the
 * "algorithm confusion" attack), and `alg: none` is never accepted.
 */
const ALGORITHMS: jwt.Algorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
/** Clock skew allowed between the identity provider and this server, for `iat` only. */
const IAT_LEEWAY_SECONDS = 60;
const CLIENT_ID = /^[A-Za-z0-9._:@-]{1,64}$/;

/**
 * JWTs from a platform gateway in front (a user token it forwards), verified with the signing-key
 * providers of Yoga's JWT plugin (`@graphql-yoga/plugin-jwt`: a remote JWKS through `jwks-rsa`,
 * or an inline public key) and `jsonwebtoken`, as that plugin does. Not its request hook: that
 * runs after the body is parsed, and only for GraphQL; this runs before any work, for GraphQL
 * and REST alike, beside the API keys.
 */
export function createJwtVerifier({ jwksUrl, publicKey, issuer, audience, clientClaim, maxAgeSeconds }: JwtOptions): VerifyToken {
  const signingKey = jwksUrl
    ? createRemoteJwksSigningKeyProvider({ jwksUri: jwksUrl, cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: 5000 })
    : createInlineSigningKeyProvider(publicKey!);
  const options: jwt.VerifyOptions = { algorithms: ALGORITHMS, ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
  // Only for a token without `exp`: one that has it is bounded by it, however old its `iat`.
  const ageBound: jwt.VerifyOptions = maxAgeSeconds === undefined ? options : { ...options, maxAge: maxAgeSeconds };

  return async (token) => {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') return refuse('malformed token');
    // jsonwebtoken accepts a token without `exp` forever; here it needs a bound on its age instead.
    const unbounded = decoded.payload.exp === undefined;
    if (unbounded && maxAgeSeconds === undefined) return refuse('token has no "exp" (expiry) claim');
    if (unbounded && typeof decoded.payload.iat !== 'number') return refuse('token has neither "exp" nor "iat" (issued at) claim');
    // An `iat` in the future would stretch the age bound as far as its issuer liked.
    if (unbounded && decoded.payload.iat! > Date.now() / 1000 + IAT_LEEWAY_SECONDS) return refuse('token "iat" is in the future');
    let key: string;
    try {
      key = await signingKey(decoded.header.kid);
    } catch {
      return refuse('no signing key for this token');
    }
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, unbounded ? ageBound : options) as jwt.JwtPayload;
    } catch (error) {
      // jsonwebtoken's reasons name no secret: "jwt expired", "jwt audience invalid…", "invalid signature".
      if (error instanceof jwt.TokenExpiredError) return refuse(unbounded ? `token has no "exp" and its "iat" is older than ${maxAgeSeconds} s` : 'token expired');
      return refuse(`invalid token (${(error as Error).message})`);
    }
    const id = payload[clientClaim];
    if (typeof id !== 'string' || !CLIENT_ID.test(id)) return refuse(`the token's "${clientClaim}" claim does not name a client`);
    return { id: `${JWT_CLIENT_PREFIX}${id}`, admin: false } satisfies Client;
  };
}

function refuse(message: string): AuthRefusal {
  return { refused: true, message };
}
