import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formBody, postImage } from '../../../src/providers/ekycpro/post-image.ts';
import { contentHash } from '../../../src/recognition/content-hash.ts';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../../support/fake-ekycpro.ts';
import { testJpeg } from '../../support/images.ts';

let fake: FakeEkycpro;
beforeAll(async () => {
  fake = await startFakeEkycpro();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.behaviour = () => ({ kind: 'ok' });
  fake.latencyMs = 0;
});

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('postImage', () => {
  it('sends the image as the contract shows: form-urlencoded base64 `img` and the key in X-API-Key', async () => {
    const image = await testJpeg(201);
    const result = await postImage(image, { url: fake.url, apiKey: FAKE_API_KEY, timeoutMs: 2_000 });
    expect(result).toMatchObject({ kind: 'answered', httpStatus: 200 });
    expect(JSON.parse((result as { bodyText: string }).bodyText)).toMatchObject({ status: 'OK' });
    expect(fake.callsFor(contentHash(image))).toBe(1);
    const call = fake.calls.at(-1)!;
    expect(call.apiKey).toBe(FAKE_API_KEY);
    expect(call.contentType).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it('hands back non-200 answers and their body as they are', async () => {
    fake.behaviour = () => ({ kind: 'http', status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' });
    const result = await postImage(await testJpeg(202), { url: fake.url, apiKey: FAKE_API_KEY, timeoutMs: 2_000 });
    expect(result).toEqual({ kind: 'answered', httpStatus: 502, bodyText: '<h1>Bad Gateway</h1>' });
  });

  it('gives up after the timeout on a hang and says it may have been charged', async () => {
    fake.behaviour = () => ({ kind: 'hang' });
    // Order, not milliseconds: a timer queued for half the timeout fires before the answer (it did
    // not give up early), and the answer comes while the fake still hangs (it gave up by itself).
    let halfway = false;
    setTimeout(() => (halfway = true), 75);
    const result = await postImage(await testJpeg(203), { url: fake.url, apiKey: FAKE_API_KEY, timeoutMs: 150 });
    expect(result).toEqual({ kind: 'no-answer', reason: 'timeout', maybeCharged: true, answerStarted: false });
    expect(halfway).toBe(true);
  });

  it('reports a connection destroyed after the upload as a network failure that may have been charged', async () => {
    fake.behaviour = () => ({ kind: 'destroy' });
    const result = await postImage(await testJpeg(204), { url: fake.url, apiKey: FAKE_API_KEY, timeoutMs: 2_000 });
    expect(result).toEqual({ kind: 'no-answer', reason: 'network', maybeCharged: true, answerStarted: false });
  });

  it('reports a refused connection as a network failure known to be free', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/id_ocr/general`;
    const result = await postImage(await testJpeg(205), { url, apiKey: FAKE_API_KEY, timeoutMs: 2_000 });
    expect(result).toEqual({ kind: 'no-answer', reason: 'network', maybeCharged: false, answerStarted: false });
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const result = await postImage(new Uint8Array([1, 2, 3]), {
      url: 'http://upstream.invalid/x',
      apiKey: 'k',
      timeoutMs: 1_000,
      fetch: async (input, init) => {
        seen.push(String(input), Buffer.from(init?.body as Uint8Array).toString('latin1'));
        return new Response('{"status":"FAIL"}', { status: 200 });
      },
    });
    expect(result).toEqual({ kind: 'answered', httpStatus: 200, bodyText: '{"status":"FAIL"}' });
    expect(seen).toEqual(['http://upstream.invalid/x', `img=${encodeURIComponent(Buffer.from([1, 2, 3]).toString('base64'))}`]);
  });
});

describe('formBody', () => {
  it('is byte for byte what URLSearchParams makes of the base64, across slice boundaries and padding', async () => {
    for (const length of [0, 1, 2, 3, 49_151, 49_152, 49_153, 2 * 49_152 + 2, 300_001]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 7919 + (i >> 5)) % 256);
      const expected = new URLSearchParams({ img: Buffer.from(bytes).toString('base64') }).toString();
      expect(Buffer.from(await formBody(bytes)).toString('latin1'), `length ${length}`).toBe(expected);
    }
  });

  it('gives the event loop a turn between slices', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      await formBody(new Uint8Array(20 * 49_152));
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(0);
  });
});
