import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway } from '../../src/gateway.ts';
import { testJpeg } from '../support/images.ts';
import { hashed, writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';

/** `useClientAuth` alone, through `yoga.fetch`: the plugin's own contract, without the gateway's HTTP routing. */
const PRODUCTION_KEY = 'prod-key-3b1f';
const STAGING_KEY = 'staging-key-9c2d';
const keysFile = writeKeyFile([{ id: 'mobile-app', key: hashed(PRODUCTION_KEY) }]);

function gateway(env: Record<string, string> = { API_KEYS_FILE: keysFile }) {
  const provider = scriptedProvider();
  return { provider, gateway: createGateway({ config: loadConfig({ KTP_PROVIDER: 'ekycpro', ...env }), provider }) };
}

async function recognize(headers: Record<string, string>) {
  const { provider, gateway: gw } = gateway();
  const init = uploadInit({ bytes: await testJpeg(9001) }, { headers: { ...CSRF_HEADERS, ...headers } });
  const response = await gw.yoga.fetch('http://gateway.test/graphql', init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }, calls: provider.calls.length };
}

describe('useClientAuth', () => {
  it.each<[string, Record<string, string>]>([
    ['no credentials', {}],
    ['a wrong key', { authorization: 'Bearer not-a-key' }],
    ['a key valid for a different environment (staging, sent to production)', { authorization: `Bearer ${STAGING_KEY}` }],
    ['a malformed Authorization header: Basic', { authorization: `Basic ${Buffer.from(`u:${PRODUCTION_KEY}`).toString('base64')}` }],
    ['a malformed Authorization header: Bearer with nothing', { authorization: 'Bearer ' }],
    ['a malformed Authorization header: two words', { authorization: `Bearer ${PRODUCTION_KEY} extra` }],
    ['a malformed Authorization header: control characters', { authorization: `Bearer ${PRODUCTION_KEY}\u0007` }],
    ['the stored digest sent as the key', { 'x-api-key': hashed(PRODUCTION_KEY) }],
    ['a 16 KB token', { authorization: `Bearer ${'a'.repeat(16_000)}` }],
    ['the right X-API-Key with a wrong bearer', { 'x-api-key': PRODUCTION_KEY, authorization: 'Bearer not-a-key' }],
  ])('%s → HTTP 401 with a GraphQL error body, before any work', async (_name, headers) => {
    let answered: Awaited<ReturnType<typeof recognize>>;
    try {
      answered = await recognize(headers);
    } catch (error) {
      // The fetch API itself refuses a header value with a control character: nothing is sent.
      expect(String(error)).toMatch(/header/i);
      return;
    }
    const { status, body, calls, headers: answer } = answered;
    expect(status).toBe(401);
    expect(answer.get('www-authenticate')).toBe('Bearer');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(/^Unauthorized: /);
    expect(JSON.stringify(body)).not.toContain(PRODUCTION_KEY);
    expect(calls).toBe(0);
  });

  it.each<[string, Record<string, string>]>([
    ['Authorization: Bearer', { authorization: `Bearer ${PRODUCTION_KEY}` }],
    ['X-API-Key', { 'x-api-key': PRODUCTION_KEY }],
    ['both, naming one client', { 'x-api-key': PRODUCTION_KEY, authorization: `Bearer ${PRODUCTION_KEY}` }],
  ])('the right key in %s is served', async (_name, headers) => {
    const { status, body, calls } = await recognize(headers);
    expect(status).toBe(200);
    expect(body.data.recognizeKtp.__typename).toBe('KtpIdentity');
    expect(calls).toBe(1);
  });

  it('a CORS preflight and the GraphiQL page need no key; a GET operation does', async () => {
    const { gateway: gw } = gateway();
    const preflight = await gw.yoga.fetch('http://gateway.test/graphql', { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    const page = await gw.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const query = await gw.yoga.fetch('http://gateway.test/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json' } });
    expect(query.status).toBe(401);
  });

  it('with no keys configured the server is open: no header needed, any header ignored', async () => {
    const { gateway: gw } = gateway({});
    expect(gw.open).toBe(true);
    for (const headers of [{}, { authorization: 'Bearer whatever' }, { authorization: 'garbage' }] as Record<string, string>[]) {
      const response = await gw.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{__typename}"}' });
      expect(response.status).toBe(200);
    }
  });
});
