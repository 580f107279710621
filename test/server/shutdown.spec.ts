import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { testJpeg } from '../support/images.ts';
import { collectedLogs, findPersonalData } from '../support/log-collector.ts';
import { uploadInit } from '../support/multipart.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * `npm start`'s process, for real: a child running src/server.ts in front of the fake paid API,
 * sent SIGTERM while connections of every kind are open. What is asserted is the order of events
 * and the exit code, never a duration.
 */
let fake: FakeEkycpro;
beforeAll(async () => {
  fake = await startFakeEkycpro();
});
afterAll(async () => {
  await fake.close();
  // The servers recognised the fake's sample identity; none of it may be in what they logged.
  expect(findPersonalData(collectedLogs())).toEqual([]);
});

/** A production server in front of the fake paid API. */
function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({ KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true', ...env });
}

function rawConnection(origin: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    // Not events.once: it would reject on the ECONNRESET of a connection the server cuts.
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('SIGTERM', () => {
  it('closes idle, half-sent and slow connections at once, answers the paid recognition in flight, and exits 0', async () => {
    const server = await startServer();
    const events: string[] = [];
    try {
      // An idle kept-alive connection, after one answered request.
      const idle = await rawConnection(server.origin);
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await once(idle.socket, 'data');
      // Headers never finished, and a body sent a byte at a time.
      const halfHeaders = await rawConnection(server.origin);
      halfHeaders.socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
      const slowBody = await rawConnection(server.origin);
      slowBody.socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"query"');
      for (const [name, connection] of Object.entries({ idle, halfHeaders, slowBody })) {
        void connection.closed.then(() => events.push(`${name} closed`));
      }

      // A recognition the upstream takes a while over: by SIGTERM it is at the paid API.
      fake.latencyMs = 1_500;
      const image = await testJpeg(9901);
      const recognition = fetch(`${server.origin}/graphql`, uploadInit({ bytes: image })).then(async (response) => {
        events.push('recognition answered');
        return (await response.json()) as { data: { recognizeKtp: { __typename: string } } };
      });
      while (fake.callsFor(contentHash(image)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));

      server.child.kill('SIGTERM');
      const code = await server.exited;
      events.push('exited');
      await recognition;

      expect(code).toBe(0);
      expect((await recognition).data.recognizeKtp.__typename).toBe('KtpIdentity');
      expect(fake.callsFor(contentHash(image))).toBe(1);
      // The three were closed before the recognition was answered, and the process exited after it.
      const answeredAt = events.indexOf('recognition answered');
      expect(events.slice(0, 3).sort()).toEqual(['halfHeaders closed', 'idle closed', 'slowBody closed']);
      expect(answeredAt).toBe(3);
      expect(events.indexOf('exited')).toBeGreaterThan(answeredAt);
      // No new connections once it has begun stopping.
      await expect(fetch(`${server.origin}/healthz`)).rejects.toThrow();
    } finally {
      fake.latencyMs = 0;
      server.child.kill('SIGKILL');
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s with nothing in flight: exits with 0', async (signal) => {
    const server = await startServer();
    server.child.kill(signal);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain(`${signal}, finishing requests in flight`);
  });

  it('waits for a paid call that outlived its request (answered "retry"), counts it, then exits 0', async () => {
    const server = await startServer({ EKYCPRO_TIMEOUT_MS: '200' });
    try {
      fake.latencyMs = 1_500;
      const image = await testJpeg(9903);
      const response = await fetch(`${server.origin}/graphql`, uploadInit({ bytes: image }));
      expect((await response.json()).data.recognizeKtp).toMatchObject({ __typename: 'OcrError', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      expect(fake.callsFor(contentHash(image))).toBe(1);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      // The charge landed after the request was answered, and before the process went.
      expect(server.output()).toMatch(/"audit":"paid-call".*"late":true/);
    } finally {
      fake.latencyMs = 0;
      server.child.kill('SIGKILL');
    }
  });

  it('exits 1 when a paid call that outlived its request outlives SHUTDOWN_GRACE_MS too, and says so', async () => {
    const server = await startServer({ EKYCPRO_TIMEOUT_MS: '200', SHUTDOWN_GRACE_MS: '300' });
    try {
      fake.behaviour = () => ({ kind: 'hang' });
      const image = await testJpeg(9904);
      await fetch(`${server.origin}/graphql`, uploadInit({ bytes: image }));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      expect(server.output()).toContain('1 paid calls still running after 300 ms were abandoned');
    } finally {
      fake.behaviour = () => ({ kind: 'ok' });
      server.child.kill('SIGKILL');
    }
  });

  it('exits 1 when a request in flight outlives SHUTDOWN_GRACE_MS (work was lost), and says so', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '200', EKYCPRO_TIMEOUT_MS: '60000' });
    try {
      fake.behaviour = () => ({ kind: 'hang' });
      const image = await testJpeg(9902);
      const recognition = fetch(`${server.origin}/graphql`, uploadInit({ bytes: image })).catch((error: unknown) => error);
      while (fake.callsFor(contentHash(image)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      expect(await recognition).toBeInstanceOf(Error); // its connection was cut
      expect(server.output()).toContain('were cut off');
    } finally {
      fake.behaviour = () => ({ kind: 'ok' });
      server.child.kill('SIGKILL');
    }
  });
});
