import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';
import { writeKeyFile } from '../support/key-files.ts';

/** JWT bearer tokens, verified before any work: a real key pair, a real JWKS server on loopback. */
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'ktp-gateway';
const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = signer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}, key: string = PRIVATE_PEM) =>
  jwt.sign({ azp: 'partner-portal', ...claims }, key, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 300, ...options });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let jwks: Server;
let withPem: GatewayServer;
let withJwks: GatewayServer;
/** Keys and JWT side by side: one key's id is `partner-portal`, the azp every test token carries. */
const KEY_OF_PARTNER_PORTAL = 'partner-portal-api-key';
let withKeys: GatewayServer;
/** Tokens without `exp` accepted while their `iat` is at most 60 s old. */
let withMaxAge: GatewayServer;
beforeAll(async () => {
  const jwk = { ...signer.publicKey.export({ format: 'jwk' }), kid: 'key-1', use: 'sig', alg: 'RS256' };
  jwks = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const common = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };
  withPem = await startGatewayServer({ env: { ...common, JWT_PUBLIC_KEY: PUBLIC_PEM } });
  withJwks = await startGatewayServer({ env: { ...common, JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json` } });
  withKeys = await startGatewayServer({ env: { ...common, JWT_PUBLIC_KEY: PUBLIC_PEM, API_KEYS_FILE: writeKeyFile([{ id: 'partner-portal', key: KEY_OF_PARTNER_PORTAL }]) } });
  withMaxAge = await startGatewayServer({ env: { ...common, JWT_PUBLIC_KEY: PUBLIC_PEM, JWT_MAX_AGE_SECONDS: '60' } });
});
afterAll(async () => {
  await Promise.all([withPem.close(), withJwks.close(), withKeys.close(), withMaxAge.close()]);
  await new Promise((resolve) => jwks.close(resolve));
});

let seed = 9600;
async function recognize(gw: GatewayServer, token: string, bytes?: Uint8Array<ArrayBuffer>) {
  const response = await request(gw.graphqlUrl, uploadInit({ bytes: bytes ?? (await testJpeg(seed++)) }, { headers: { ...CSRF_HEADERS, authorization: `Bearer ${token}` } }));
  const recognized = response.json?.data?.recognizeKtp;
  return { status: response.status, typename: recognized?.__typename, cached: recognized?.cached as boolean | undefined, code: response.json?.errors?.[0]?.extensions?.code, message: response.json?.errors?.[0]?.message };
}

/** A token without `exp`, issued `ageSeconds` ago (or with no `iat` at all). */
const unexpiring = (ageSeconds: number | undefined) =>
  ageSeconds === undefined
    ? jwt.sign({ azp: 'partner-portal', iss: ISSUER, aud: AUDIENCE }, PRIVATE_PEM, { algorithm: 'RS256', noTimestamp: true })
    : jwt.sign({ azp: 'partner-portal', iss: ISSUER, aud: AUDIENCE, iat: Math.floor(Date.now() / 1000) - ageSeconds }, PRIVATE_PEM, { algorithm: 'RS256' });

describe('JWT (public key)', () => {
  it('a valid token is served, as the client its azp claim names, on GraphQL and REST', async () => {
    const before = withPem.fake.calls.length;
    expect(await recognize(withPem, sign({}))).toMatchObject({ status: 200, typename: 'KtpIdentity', code: undefined });
    const rest = await request(`${withPem.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${sign({})}` },
      body: new URLSearchParams({ img: Buffer.from(await testJpeg(seed++)).toString('base64') }).toString(),
    });
    expect(JSON.parse(rest.text).status).toBe('OK');
    expect(withPem.fake.calls.length).toBe(before + 2);
    const line = withPem.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === 'request' && entry.route === 'graphql');
    expect(line?.client).toBe('jwt:partner-portal');
  });

  it.each<[string, () => string]>([
    ['a wrong signature', () => sign({}, {}, stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())],
    ['an expired token', () => jwt.sign({ azp: 'partner-portal', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) - 60 }, PRIVATE_PEM, { algorithm: 'RS256' })],
    ['a wrong audience', () => sign({}, { audience: 'another-api' })],
    ['a wrong issuer', () => sign({}, { issuer: 'https://evil.example.test/' })],
    ['alg: none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ azp: 'partner-portal', iss: ISSUER, aud: AUDIENCE, exp: 9_999_999_999 })}.`],
    ['HS256 signed with the public key as the secret (algorithm confusion)', () => jwt.sign({ azp: 'partner-portal' }, PUBLIC_PEM, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE })],
    ['a huge token (64 KB of claims)', () => sign({ padding: 'x'.repeat(64_000) })],
    ['no client claim', () => sign({ azp: undefined })],
    ['a client claim that is not an id', () => sign({ azp: 'a b c <script>' })],
    ['three dots of garbage', () => 'abc.def.ghi'],
  ])('%s → 401 before any work', async (_name, token) => {
    const before = withPem.fake.calls.length;
    const sent = token();
    let answer: Awaited<ReturnType<typeof recognize>>;
    try {
      answer = await recognize(withPem, sent);
    } catch (error) {
      // A header too large for Node's own limit (16 KB) is refused by the HTTP parser: 431, or the socket closed.
      expect(String(error)).toMatch(/fetch failed|socket|431/i);
      return;
    }
    expect(answer.status === 401 || answer.status === 431).toBe(true);
    if (answer.status === 401) expect(answer.code).toBe('UNAUTHENTICATED');
    expect(withPem.fake.calls.length).toBe(before);
  });
});

describe('JWT (JWKS URL)', () => {
  it('a token whose kid is in the key set is served; an unknown kid is refused', async () => {
    expect(await recognize(withJwks, sign({}, { keyid: 'key-1' }))).toMatchObject({ status: 200, typename: 'KtpIdentity' });
    expect(await recognize(withJwks, sign({}, { keyid: 'key-2' }))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('JWT clients live in their own namespace', () => {
  const usage = async (headers: Record<string, string>) =>
    (await request(withKeys.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ ktpUsage { client recognitions paidCalls } }' }) })).json?.data?.ktpUsage as { client: string; recognitions: number }[];

  it('a token whose azp equals a key id sees none of that key\'s usage or cached cards, and pays for its own', async () => {
    const bytes = await testJpeg(seed++);
    const byKey = { 'x-api-key': KEY_OF_PARTNER_PORTAL };
    const first = await request(withKeys.graphqlUrl, uploadInit({ bytes }, { headers: { ...CSRF_HEADERS, ...byKey } }));
    expect(first.json?.data?.recognizeKtp).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    const calls = withKeys.fake.calls.length;

    // The same bytes under the token: not the key's cache entry, a paid call of its own.
    expect(await recognize(withKeys, sign({}), bytes)).toMatchObject({ status: 200, typename: 'KtpIdentity', cached: false });
    expect(withKeys.fake.calls.length).toBe(calls + 1);

    expect(await usage(byKey)).toEqual([{ client: 'partner-portal', recognitions: 1, paidCalls: 1 }]);
    expect(await usage({ authorization: `Bearer ${sign({})}` })).toEqual([{ client: 'jwt:partner-portal', recognitions: 1, paidCalls: 1 }]);
  });

  it('a key file may not name a client jwt:<anything>', async () => {
    await expect(startGatewayServer({ env: { API_KEYS_FILE: writeKeyFile([{ id: 'jwt:partner-portal', key: 'k' }]) } })).rejects.toThrow(/starts with "jwt:"/);
  });
});

describe('JWT tokens without exp', () => {
  it('are refused with a 401 that says so when JWT_MAX_AGE_SECONDS is unset', async () => {
    const before = withPem.fake.calls.length;
    expect(await recognize(withPem, unexpiring(0))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: 'Unauthorized: token has no "exp" (expiry) claim' });
    expect(withPem.fake.calls.length).toBe(before);
  });

  it('under JWT_MAX_AGE_SECONDS: served with a fresh iat; refused with an old one, a future one, or none', async () => {
    expect(await recognize(withMaxAge, unexpiring(5))).toMatchObject({ status: 200, typename: 'KtpIdentity' });
    const before = withMaxAge.fake.calls.length;
    expect(await recognize(withMaxAge, unexpiring(120))).toMatchObject({ status: 401, message: 'Unauthorized: token has no "exp" and its "iat" is older than 60 s' });
    expect(await recognize(withMaxAge, unexpiring(-3600))).toMatchObject({ status: 401, message: 'Unauthorized: token "iat" is in the future' });
    expect(await recognize(withMaxAge, unexpiring(undefined))).toMatchObject({ status: 401, message: 'Unauthorized: token has neither "exp" nor "iat" (issued at) claim' });
    expect(withMaxAge.fake.calls.length).toBe(before);
  });

  it('under JWT_MAX_AGE_SECONDS a token with exp is bounded by its exp, not by the age of its iat', async () => {
    expect(await recognize(withMaxAge, sign({ iat: Math.floor(Date.now() / 1000) - 3600 }, { expiresIn: 7200 }))).toMatchObject({ status: 200, typename: 'KtpIdentity' });
  });
});
