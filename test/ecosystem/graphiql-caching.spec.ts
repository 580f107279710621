import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';

/**
 * GraphiQL's page (9 MB: its assets are bundled in) as a browser fetches it, over a raw socket so
 * that the bytes on the wire are counted as sent, not as a client decompressed them.
 */
let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer();
});
afterAll(async () => {
  await gw?.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(gw.graphqlUrl, { headers: { accept: 'text/html', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const MB = 1024 * 1024;

describe('GraphiQL page', () => {
  it('uncompressed when the browser accepts no encoding: the whole page, with an ETag', async () => {
    const page = await get({});
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.toString()).toMatch(/<title>ktp-gateway<\/title>/);
    expect(page.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    ['gzip', 'gzip, deflate', gunzipSync],
    ['br', 'gzip, deflate, br', brotliDecompressSync],
  ] as const)('%s: under 2.5 MB on the wire, the same page once decompressed', async (encoding, acceptEncoding, decompress) => {
    const plain = await get({});
    const page = await get({ 'accept-encoding': acceptEncoding });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe(encoding);
    expect(page.headers.vary).toMatch(/accept-encoding/i);
    expect(page.body.length).toBeLessThan(2.5 * MB);
    expect(decompress(page.body).equals(plain.body)).toBe(true);
    expect(page.headers.etag).toBe(plain.headers.etag);
  }, 60_000);

  it('a refused encoding (br;q=0) is not used', async () => {
    const page = await get({ 'accept-encoding': 'br;q=0, gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
  }, 60_000);

  it('If-None-Match with the ETag → 304, no body; another ETag → the page', async () => {
    const { headers } = await get({});
    const cached = await get({ 'if-none-match': String(headers.etag), 'accept-encoding': 'gzip' });
    expect(cached.status).toBe(304);
    expect(cached.body.length).toBe(0);
    expect(cached.headers.etag).toBe(headers.etag);
    const stale = await get({ 'if-none-match': '"something-else"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBeGreaterThan(MB);
  }, 60_000);

  it('GraphQL answers are untouched: no ETag on a query', async () => {
    const response = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeNull();
  });
});
