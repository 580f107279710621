import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { hashed, writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';

/** Client keys through real sockets: a gateway in process, and `npm start`'s own process for start-up and SIGHUP. */
const MOBILE_KEY = 'mobile-key-1f9e';
const OFFICE_KEY = 'office-key-77aa';

let fake: FakeEkycpro;
let gw: GatewayServer;
beforeAll(async () => {
  fake = await startFakeEkycpro();
  const file = writeKeyFile([
    { id: 'mobile-app', key: hashed(MOBILE_KEY) },
    { id: 'back-office', key: OFFICE_KEY, admin: true },
  ]);
  gw = await startGatewayServer({ fake, env: { API_KEYS_FILE: file, CORS_ORIGINS: 'https://app.example.com,https://office.example.com' } });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

let seed = 9100;
const upload = async (headers: Record<string, string>) =>
  request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(seed++) }, { headers: { ...CSRF_HEADERS, ...headers } }));

describe('client keys on GraphQL and REST', () => {
  it('a missing or malformed credential is refused before the body is read: 401, GraphQL error, no call', async () => {
    const before = fake.calls.length;
    for (const headers of [{}, { authorization: 'Token abc' }, { authorization: `Bearer ${MOBILE_KEY}x` }] as Record<string, string>[]) {
      const response = await upload(headers);
      expect(response.status).toBe(401);
      expect(response.json?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(fake.calls.length).toBe(before);
  });

  it('a hashed key and a plain key are both served, over GraphQL and REST (X-API-Key)', async () => {
    const graphql = await upload({ authorization: `Bearer ${MOBILE_KEY}` });
    expect(graphql.json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
    const rest = await request(`${gw.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': OFFICE_KEY },
      body: new URLSearchParams({ img: Buffer.from(await testJpeg(seed++)).toString('base64') }).toString(),
    });
    expect(rest.status).toBe(200);
    expect(JSON.parse(rest.text).status).toBe('OK');
  });
});

describe('health and readiness (Yoga\'s health check and readiness plugin)', () => {
  it('/healthz and /readyz answer a keyless probe; Yoga\'s default /health is not a second health check', async () => {
    expect((await request(`${gw.origin}/healthz`)).status).toBe(200);
    const ready = await request(`${gw.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, provider: 'ekycpro' });
    expect((await request(`${gw.origin}/health`)).status).not.toBe(200);
    expect((await request(`${gw.origin}/graphql/health`)).status).not.toBe(200);
  });
});

describe('CORS from CORS_ORIGINS', () => {
  const preflight = (origin: string) =>
    fetch(gw.graphqlUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });

  it('a listed origin is allowed with credentials', async () => {
    const response = await preflight('https://office.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://office.example.com');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('any other origin gets no CORS headers at all: never reflected, never with credentials', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('without CORS_ORIGINS (local development): any origin, never with credentials', async () => {
    const open = await startGatewayServer({ fake });
    try {
      const response = await fetch(open.graphqlUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.close();
    }
  });
});

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const serverScript = fileURLToPath(new URL('../../src/server.ts', import.meta.url));

function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', tsx, serverScript], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data) => (output += data));
  child.stderr!.on('data', (data) => (output += data));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitFor = async (pattern: RegExp) => {
    while (!pattern.test(output)) {
      if (child.exitCode !== null) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { child, exited, output: () => output, waitFor };
}

describe('npm start', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['an unreadable API_KEYS_FILE', { API_KEYS_FILE: '/nonexistent/keys.json' }, /API_KEYS_FILE \/nonexistent\/keys.json cannot be read/],
    ['an API_KEYS_FILE that is not JSON', { API_KEYS_FILE: writeKeyFile('{ not json') }, /API_KEYS_FILE .* is not valid JSON/],
    ['NODE_ENV=production with no keys', { NODE_ENV: 'production' }, /NODE_ENV=production with no client keys.*ALLOW_ANONYMOUS=true/],
  ])('refuses to start with %s, with a clear message', async (_name, env, message) => {
    const server = startProcess(env);
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(message);
  });

  it('open (no keys) says so once at start; production starts open only with ALLOW_ANONYMOUS=true', async () => {
    const server = startProcess({ NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true' });
    try {
      await server.waitFor(/GraphQL on/);
      await server.waitFor(/open: no client keys/);
      expect(server.output().match(/open: no client keys/g)).toHaveLength(1);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('SIGHUP reloads the keys; a broken file keeps the last good keys and logs why', async () => {
    const file = writeKeyFile([{ id: 'first', key: 'first-key' }]);
    const server = startProcess({ API_KEYS_FILE: file });
    try {
      await server.waitFor(/GraphQL on http:\/\/localhost:(\d+)/);
      const port = /GraphQL on http:\/\/localhost:(\d+)/.exec(server.output())![1];
      const typename = (key: string) =>
        fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"query":"{__typename}"}' }).then((r) => r.status);
      expect(await typename('first-key')).toBe(200);

      writeFileSync(file, JSON.stringify([{ id: 'second', key: hashed('second-key') }]));
      server.child.kill('SIGHUP');
      await server.waitFor(/SIGHUP: 1 client keys loaded/);
      expect([await typename('first-key'), await typename('second-key')]).toEqual([401, 200]);

      writeFileSync(file, '[{"id": ');
      server.child.kill('SIGHUP');
      await server.waitFor(/keys not reloaded/);
      expect(server.output()).toMatch(/SIGHUP: keys not reloaded, the last good ones stay in force: API_KEYS_FILE .* is not valid JSON/);
      expect(await typename('second-key')).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
