import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testPng } from '../support/images.ts';
import { uploadInit } from '../support/multipart.ts';

/**
 * Many or slow clients through the real loopback server: bounded buffered bytes, bounded time for
 * a request to arrive, bounded connections. Each test asserts what was answered and closed, in
 * what order, never how many milliseconds it took.
 */
const MiB = 1024 * 1024;

/** Opens a raw connection; `closed` resolves with everything the server sent before closing it. */
function rawConnection(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data) => (received += data.toString('latin1')));
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

const portOf = (gw: GatewayServer) => Number(new URL(gw.origin).port);

describe('MAX_BUFFERED_BYTES: bodies held in memory across all requests in flight', () => {
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer({ env: { MAX_BUFFERED_BYTES: String(MiB) } });
  });
  afterAll(() => gw.close());

  it('refuses a body that cannot fit with 503 SERVER_BUSY, as soon as its bytes pass the budget, at no cost', async () => {
    const before = gw.fake.calls.length;
    const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testPng(8001, 700, 600) })); // ~1.26 MB
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.json?.errors?.[0]).toEqual({ message: 'The server is busy with other uploads; retry shortly', extensions: { code: 'SERVER_BUSY' } });
    expect(gw.fake.calls.length).toBe(before);
  });

  it('holds a body until its answer is made; one that would pass the budget meanwhile is refused, and fits once the first is answered', async () => {
    const first = await testPng(8002, 450, 450); // ~610 KB: one fits in 1 MiB, two do not
    const second = await testPng(8003, 450, 450);
    gw.fake.latencyMs = 300;
    try {
      const pending = request(gw.graphqlUrl, uploadInit({ bytes: first }));
      await until(() => gw.fake.callsFor(contentHash(first)) === 1);
      expect(gw.gateway.bufferedBytes.used).toBeGreaterThan(first.byteLength);
      expect((await request(gw.graphqlUrl, uploadInit({ bytes: second }))).status).toBe(503);
      expect((await pending).json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
      expect(gw.gateway.bufferedBytes.used).toBe(0);
      expect((await request(gw.graphqlUrl, uploadInit({ bytes: second }))).json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
    } finally {
      gw.fake.latencyMs = 0;
    }
    expect(gw.fake.callsFor(contentHash(second))).toBe(1);
    expect(gw.gateway.bufferedBytes.used).toBe(0);
  });

  it('answers a REST body the budget cannot hold with the contract’s free INNER_ERROR', async () => {
    const png = await testPng(8005, 700, 600);
    const body = new URLSearchParams({ img: Buffer.from(png).toString('base64') }).toString();
    const response = await request(`${gw.origin}/v1/id_ocr/general`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': 'any-key' },
      body,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: 'INNER_ERROR', message: 'Service is not available right now, please try again later' });
  });
});

describe('slow and numerous clients', () => {
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer({
      env: { SERVER_HEADERS_TIMEOUT_MS: '300', SERVER_REQUEST_TIMEOUT_MS: '600', SERVER_KEEP_ALIVE_TIMEOUT_MS: '300', MAX_CONNECTIONS: '8' },
    });
  });
  afterAll(() => gw.close());

  it('closes a connection whose headers never finish, while /healthz is answered', async () => {
    const slow = await rawConnection(portOf(gw));
    slow.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expect((await request(`${gw.origin}/healthz`)).status).toBe(200);
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose body arrives a byte at a time, with 408, and nothing is recognised', async () => {
    const before = gw.fake.calls.length;
    const slow = await rawConnection(portOf(gw));
    slow.socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const drip = setInterval(() => slow.socket.writable && slow.socket.write(' '), 50);
    try {
      expect(await slow.closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
    expect(gw.fake.calls.length).toBe(before);
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    const idle = await rawConnection(portOf(gw));
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    // Yoga's health check answers it (an empty 200 that names the server in x-yoga-id).
    expect(await idle.closed).toMatch(/^HTTP\/1\.1 200[\s\S]*x-yoga-id/);
  });

  it('closes connections beyond MAX_CONNECTIONS as they arrive; the ones it holds are still served', async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => rawConnection(portOf(gw))));
    for (const { socket } of held) socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n');
    const extra = await rawConnection(portOf(gw));
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await extra.closed).toBe(''); // closed without a byte
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    // Once the server has counted them closed, new connections are served again.
    await untilAsync(async () => (await connections(gw)) === 0);
    expect((await request(`${gw.origin}/healthz`)).status).toBe(200);
  });
});

function connections(gw: GatewayServer): Promise<number> {
  return new Promise((resolve) => gw.server.getConnections((_error, count) => resolve(count)));
}

async function untilAsync(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
