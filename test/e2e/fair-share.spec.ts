import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { requestFrom, startUpload, type SlowUpload } from '../support/peer.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';

/**
 * Slow and greedy uploaders against the real loopback server with its default limits: bodies are
 * charged as they arrive (not as declared), and one client or address holds only its share of
 * the buffered bytes and of the connections, so the others are still answered normally.
 */
const MiB = 1024 * 1024;
const DECLARED = 8 * MiB; // MAX_REQUEST_BYTES' default: the largest body anyone may declare
const MULTIPART = { 'content-type': 'multipart/form-data; boundary=x', ...CSRF_HEADERS };
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

const portOf = (gw: GatewayServer) => Number(new URL(gw.origin).port);
let seed = 11_000;

/** Every connection a test opened, closed after it whatever happened. */
const open: SlowUpload[] = [];
const drips: NodeJS.Timeout[] = [];
afterEach(() => {
  for (const drip of drips.splice(0)) clearInterval(drip);
  for (const { socket } of open.splice(0)) socket.destroy();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** `count` uploaders declaring 8 MB and sending a byte a second, from one address. */
async function slowUploaders(gw: GatewayServer, count: number, headers: Record<string, string> = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    const upload = await startUpload(portOf(gw), { path: '/graphql', headers: { ...MULTIPART, ...headers }, contentLength: DECLARED }, new Uint8Array([0x2d]));
    open.push(upload);
    drips.push(setInterval(() => upload.socket.writable && upload.socket.write('-'), 1000));
  }
}

describe('slow uploaders declaring 8 MB, from one address (open server, default limits)', () => {
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer();
  });
  afterAll(() => gw.close());

  it.each([16, 200])('%i of them leave { __typename } and another client\'s upload answered normally', async (count) => {
    await slowUploaders(gw, count);
    // Charged what they sent (a byte or two each), not the 8 MB they declared.
    expect(gw.gateway.bufferedBytes.used).toBeLessThan(count * 16);
    const typename = await request(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: TYPENAME });
    expect(typename.status).toBe(200);
    expect(typename.json).toEqual({ data: { __typename: 'Query' } });
    const other = await requestFrom('127.0.0.2', gw.graphqlUrl, uploadInit({ bytes: await testJpeg(seed++) }));
    expect(other.status).toBe(200);
    expect(other.json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
  });
});

describe('greedy uploaders of one key, from many addresses (the default shares, scaled down 8 times)', () => {
  const HOG = 'hog-key';
  const OTHER = 'other-key';
  // 16 MiB of budget and 1 MiB bodies: the defaults' proportions (a quarter each) at an eighth of the bytes sent.
  const BODY = MiB;
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer({
      env: { API_KEYS_FILE: writeKeyFile([{ id: 'hog', key: HOG }, { id: 'other', key: OTHER }]), MAX_BUFFERED_BYTES: String(16 * MiB), MAX_REQUEST_BYTES: String(BODY) },
    });
  });
  afterAll(() => gw.close());

  it('16 bodies sent but for their last byte hold one client\'s share (a quarter), not the budget; the rest get 429 once they end', async () => {
    const almostAll = new Uint8Array(BODY - 1).fill(0x2d);
    // Each from its own address: the per-address share does not bind, the per-client one must.
    const hogs = await Promise.all(
      Array.from({ length: 16 }, (_, i) => startUpload(portOf(gw), { path: '/graphql', headers: { ...MULTIPART, 'x-api-key': HOG }, contentLength: BODY }, almostAll, `127.0.1.${i + 1}`)),
    );
    open.push(...hogs);
    const share = gw.gateway.bufferedBytes.max / 4;
    // Three or four of them fit in the share (each is 1 MiB less a byte; the share is 4 MiB).
    await until(() => gw.gateway.bufferedBytes.used >= 3 * (BODY - 1));
    expect(gw.gateway.bufferedBytes.used).toBeLessThanOrEqual(share);

    const typename = await request(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': OTHER }, body: TYPENAME });
    expect(typename.json).toEqual({ data: { __typename: 'Query' } });
    const other = await requestFrom('127.0.0.2', gw.graphqlUrl, uploadInit({ bytes: await testJpeg(seed++) }, { headers: { ...CSRF_HEADERS, 'x-api-key': OTHER } }));
    expect(other.status).toBe(200);
    expect(other.json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
    expect(gw.gateway.bufferedBytes.used).toBeLessThanOrEqual(share);

    // Ended, the ones past the share are told to slow down, GraphQL-shaped; none is told the server is busy.
    for (const { socket } of hogs) socket.write('-');
    const answers = await Promise.all(hogs.map(({ closed }) => closed));
    const refused = answers.filter((text) => text.startsWith('HTTP/1.1 429'));
    expect(refused.length).toBeGreaterThanOrEqual(12);
    for (const text of refused) {
      expect(text).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(text).toContain('"code":"TOO_MANY_UPLOADS"');
    }
    expect(answers.filter((text) => text.startsWith('HTTP/1.1 503'))).toEqual([]);
  });
});

describe('a client over its share, on each route', () => {
  const A = 'key-a';
  const B = 'key-b';
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer({
      env: { API_KEYS_FILE: writeKeyFile([{ id: 'a', key: A }, { id: 'b', key: B }]), MAX_BUFFERED_BYTES: String(4 * MiB), MAX_BUFFERED_BYTES_PER_CLIENT: String(MiB) },
    });
  });
  afterAll(() => gw.close());

  it('REST: 429 with the contract\'s free INNER_ERROR, Retry-After and x-ktp-limit; GraphQL: 429 TOO_MANY_UPLOADS; the other client is served', async () => {
    // Client A holds its whole share in one stalled body.
    open.push(await startUpload(portOf(gw), { path: '/graphql', headers: { ...MULTIPART, 'x-api-key': A }, contentLength: 2 * MiB }, new Uint8Array(MiB).fill(0x2d)));
    await until(() => gw.gateway.bufferedBytes.used === MiB);
    const before = gw.fake.calls.length;
    const form = new URLSearchParams({ img: Buffer.from(await testJpeg(seed++)).toString('base64') }).toString();
    const rest = (key: string) => request(`${gw.origin}${CONTRACT_ROUTE}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': key }, body: form });

    const overShare = await rest(A);
    expect(overShare.status).toBe(429);
    expect(JSON.parse(overShare.text)).toEqual({ status: 'INNER_ERROR', message: 'Service is not available right now, please try again later' });
    expect(overShare.headers.get('retry-after')).toBe('1');
    expect(overShare.headers.get('x-ktp-limit')).toBe('UPLOADS_IN_FLIGHT');

    const graphql = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(seed++) }, { headers: { ...CSRF_HEADERS, 'x-api-key': A } }));
    expect(graphql.status).toBe(429);
    expect(graphql.headers.get('retry-after')).toBe('1');
    expect(graphql.json?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_UPLOADS');
    expect(gw.fake.calls.length).toBe(before);

    expect(JSON.parse((await rest(B)).text).status).toBe('OK');
  });
});

describe('MAX_CONNECTIONS_PER_ADDRESS', () => {
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer({ env: { MAX_CONNECTIONS: '16', MAX_CONNECTIONS_PER_ADDRESS: '4' } });
  });
  afterAll(() => gw.close());

  it('closes an address\'s connections past its cap as they arrive; another address is served', async () => {
    const head = { path: '/graphql', headers: { 'content-type': 'application/json' }, contentLength: 100 };
    const held = await Promise.all(Array.from({ length: 4 }, () => startUpload(portOf(gw), head)));
    open.push(...held);
    const extra = await startUpload(portOf(gw), head);
    expect(await extra.closed).toBe(''); // closed without a byte
    const elsewhere = await requestFrom('127.0.0.2', `${gw.origin}/healthz`);
    expect(elsewhere.status).toBe(200);
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map(({ closed }) => closed));
    // Once they are closed, the address is served again.
    for (;;) {
      const again = await requestFrom('127.0.0.1', `${gw.origin}/healthz`).catch(() => undefined);
      if (again?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
});
