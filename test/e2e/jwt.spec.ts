import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';

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
beforeAll(async () => {
  const jwk = { ...signer.publicKey.export({ format: 'jwk' }), kid: 'key-1', use: 'sig', alg: 'RS256' };
  jwks = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const common = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };
  withPem = await startGatewayServer({ env: { ...common, JWT_PUBLIC_KEY: PUBLIC_PEM } });
  withJwks = await startGatewayServer({ env: { ...common, JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json` } });
});
afterAll(async () => {
  await Promise.all([withPem.close(), withJwks.close()]);
  await new Promise((resolve) => jwks.close(resolve));
});

let seed = 9600;
async function recognize(gw: GatewayServer, token: string) {
  const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(seed++) }, { headers: { ...CSRF_HEADERS, authorization: `Bearer ${token}` } }));
  return { status: response.status, typename: response.json?.data?.recognizeKtp?.__typename, code: response.json?.errors?.[0]?.extensions?.code };
}

describe('JWT (public key)', () => {
  it('a valid token is served, as the client its azp claim names, on GraphQL and REST', async () => {
    const before = withPem.fake.calls.length;
    expect(await recognize(withPem, sign({}))).toEqual({ status: 200, typename: 'KtpIdentity', code: undefined });
    const rest = await request(`${withPem.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${sign({})}` },
      body: new URLSearchParams({ img: Buffer.from(await testJpeg(seed++)).toString('base64') }).toString(),
    });
    expect(JSON.parse(rest.text).status).toBe('OK');
    expect(withPem.fake.calls.length).toBe(before + 2);
    const line = withPem.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === 'request' && entry.route === 'graphql');
    expect(line?.client).toBe('partner-portal');
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
