import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEkycproProvider, type EkycproProviderOptions } from '../../../src/providers/ekycpro/index.ts';
import { contentHash } from '../../../src/recognition/content-hash.ts';
import { type ImageInfo } from '../../../src/providers/provider.ts';
import { inspectImage } from '../../../src/recognition/inspect-image.ts';
import { FAKE_API_KEY, SAMPLE_IDENTITY, startFakeEkycpro, type FakeAnswer, type FakeEkycpro } from '../../support/fake-ekycpro.ts';
import { testJpeg } from '../../support/images.ts';
import { CONTRACT_MESSAGES } from '../../support/contract.ts';

let fake: FakeEkycpro;
beforeAll(async () => {
  fake = await startFakeEkycpro();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.behaviour = () => ({ kind: 'ok' });
  fake.latencyMs = 0;
});

let seed = 300;
async function image(): Promise<{ bytes: Uint8Array; info: ImageInfo; hash: string }> {
  const bytes = await testJpeg(seed++);
  return { bytes, info: inspectImage(bytes) as ImageInfo, hash: contentHash(bytes) };
}

// A caller's wait (`timeoutMs`) is the recognizer's to keep (test/e2e/slow-upstream.spec.ts);
// the provider is bounded by the exchange's own limit, `settleMs`, which these tests set.
function provider(options: Partial<EkycproProviderOptions> = {}) {
  return createEkycproProvider({ url: fake.url, apiKey: FAKE_API_KEY, timeoutMs: 1, settleMs: 2_000, backoffMs: () => 1, ...options });
}

async function recognizeOnce(answer: FakeAnswer | ((index: number) => FakeAnswer), options: Partial<EkycproProviderOptions> = {}) {
  fake.behaviour = (_call, index) => (typeof answer === 'function' ? answer(index) : answer);
  const { bytes, info, hash } = await image();
  const outcome = await provider(options).recognize(bytes, info);
  return { outcome, calls: fake.callsFor(hash) };
}

describe('ekycpro provider: every upstream answer', () => {
  it('OK → an identity with the contract fields, charged, one call', async () => {
    const { outcome, calls } = await recognizeOnce({ kind: 'ok' });
    expect(outcome).toEqual({ kind: 'identity', fields: SAMPLE_IDENTITY, charged: true });
    expect(calls).toBe(1);
  });

  it('FAIL → charged, not retryable, not retried', async () => {
    const { outcome, calls } = await recognizeOnce({ kind: 'status', status: 'FAIL', message: 'blurry' });
    expect(outcome).toEqual({ kind: 'error', code: 'FAIL', message: 'blurry', charged: true, retryable: false });
    expect(calls).toBe(1);
  });

  it('FAIL without a message → the documented message', async () => {
    const { outcome } = await recognizeOnce({ kind: 'status', status: 'FAIL', omitMessage: true });
    expect(outcome).toMatchObject({ code: 'FAIL', message: CONTRACT_MESSAGES.FAIL, charged: true });
  });

  it('cuts the API key out of an upstream message that echoes it', async () => {
    const { outcome } = await recognizeOnce({
      kind: 'status',
      status: 'INVALID_REQUEST',
      message: `invalid X-API-Key: ${FAKE_API_KEY} (key ${FAKE_API_KEY} is disabled)`,
    });
    expect(outcome).toMatchObject({ code: 'INVALID_REQUEST', message: 'invalid X-API-Key: [redacted] (key [redacted] is disabled)' });
    expect(JSON.stringify(outcome)).not.toContain(FAKE_API_KEY);
  });

  it.each(['INVALID_REQUEST', 'IMAGE_INVALID_FORMAT', 'IMAGE_INVALID_SIZE'])('%s → free, not retried', async (status) => {
    const { outcome, calls } = await recognizeOnce({ kind: 'status', status });
    expect(outcome).toMatchObject({ kind: 'error', code: status, charged: false, retryable: false });
    expect(calls).toBe(1);
  });

  it('INNER_ERROR → retried with backoff up to the bound, then INNER_ERROR retryable', async () => {
    const backoffMs = vi.fn(() => 1);
    const { outcome, calls } = await recognizeOnce({ kind: 'status', status: 'INNER_ERROR' }, { retries: 2, backoffMs });
    expect(outcome).toMatchObject({ code: 'INNER_ERROR', charged: false, retryable: true });
    expect(calls).toBe(3);
    expect(backoffMs.mock.calls).toEqual([[0], [1]]);
  });

  it('INNER_ERROR then OK → the identity, after two calls', async () => {
    let answered = 0;
    const { outcome, calls } = await recognizeOnce(() => (answered++ === 0 ? { kind: 'status', status: 'INNER_ERROR' } : { kind: 'ok' }));
    expect(outcome.kind).toBe('identity');
    expect(calls).toBe(2);
  });

  it('OK without a message → FAIL, charged, not retried and not retryable', async () => {
    const { outcome, calls } = await recognizeOnce({ kind: 'status', status: 'OK', omitMessage: true });
    expect(outcome).toMatchObject({ code: 'FAIL', charged: true, retryable: false });
    expect(calls).toBe(1);
  });

  it.each<[string, FakeAnswer]>([
    ['HTTP 502 with an HTML page', { kind: 'http', status: 502, contentType: 'text/html', body: '<html><h1>502 Bad Gateway</h1></html>' }],
    ['HTTP 500 with an HTML page', { kind: 'http', status: 500, contentType: 'text/html', body: '<html>oops</html>' }],
    ['malformed JSON', { kind: 'http', status: 200, contentType: 'application/json', body: '{"status":"OK","mess' }],
    ['an unknown status', { kind: 'status', status: 'QUEUED', message: 'later' }],
    ['a destroyed connection', { kind: 'destroy' }],
  ])('%s → UPSTREAM_UNAVAILABLE, free, retryable, never re-sent', async (_name, answer) => {
    const { outcome, calls } = await recognizeOnce(answer);
    expect(outcome).toMatchObject({ kind: 'error', code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true });
    expect(calls).toBe(1);
  });

  it('a hang past the settle limit → UPSTREAM_UNAVAILABLE once the limit is reached, sent once only', async () => {
    // Order, not milliseconds: a timer queued for half the timeout fires before the answer.
    let halfway = false;
    setTimeout(() => (halfway = true), 100);
    const { outcome, calls } = await recognizeOnce({ kind: 'hang' }, { settleMs: 200 });
    expect(outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect((outcome as { message: string }).message).toMatch(/did not answer within 200 ms.*may have been charged/);
    expect(calls).toBe(1);
    expect(halfway).toBe(true);
  });

  it('an answer cut mid-body may have been charged: maybeCharged, sent once', async () => {
    const { outcome, calls } = await recognizeOnce({ kind: 'cut', body: '{"status":"OK","message":{"id":"31' });
    expect(outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true, maybeCharged: true });
    expect(calls).toBe(1);
  });

  it('says how long a caller should wait for it (EKYCPRO_TIMEOUT_MS) apart from how long a call may run', () => {
    expect(provider({ timeoutMs: 300, settleMs: 9_000 }).answerWithinMs).toBe(300);
  });

  it('a slow answer within the settle limit is still taken', async () => {
    fake.latencyMs = 50;
    const { outcome } = await recognizeOnce({ kind: 'ok' }, { settleMs: 1_000 });
    expect(outcome.kind).toBe('identity');
  });
});

describe('ekycpro provider: configuration', () => {
  it('without an API key answers UPSTREAM_UNAVAILABLE naming EKYCPRO_API_KEY, with zero calls', async () => {
    const before = fake.calls.length;
    const { bytes, info } = await image();
    const keyless = provider({ apiKey: undefined });
    expect(keyless.isReady?.()).toBe(false);
    const outcome = await keyless.recognize(bytes, info);
    expect(outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: false });
    expect((outcome as { message: string }).message).toContain('EKYCPRO_API_KEY');
    expect(fake.calls.length).toBe(before);
  });

  it('is named ekycpro and ready with a key', () => {
    const p = provider();
    expect(p.name).toBe('ekycpro');
    expect(p.isReady?.()).toBe(true);
  });

  it('never puts the API key in an outcome', async () => {
    const answers: FakeAnswer[] = [
      { kind: 'ok' },
      { kind: 'status', status: 'FAIL' },
      { kind: 'status', status: 'INNER_ERROR' },
      { kind: 'http', status: 502, contentType: 'text/html', body: '<html/>' },
      { kind: 'destroy' },
      { kind: 'hang' },
    ];
    for (const answer of answers) {
      const { outcome } = await recognizeOnce(answer, answer.kind === 'hang' ? { settleMs: 100 } : {});
      expect(JSON.stringify(outcome)).not.toContain(FAKE_API_KEY);
    }
  });

  it('stops retrying an INNER_ERROR as soon as nobody waits', async () => {
    fake.behaviour = () => ({ kind: 'status', status: 'INNER_ERROR' });
    const { bytes, info, hash } = await image();
    const controller = new AbortController();
    const pending = provider({ retries: 5, backoffMs: () => 10_000 }).recognize(bytes, info, controller.signal);
    await vi.waitFor(() => expect(fake.callsFor(hash)).toBe(1));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'INNER_ERROR' });
    expect(fake.callsFor(hash)).toBe(1);
  });
});

describe('ekycpro provider: circuit breaker', () => {
  it('opens after the threshold, answers at once with zero calls, and half-opens after the cooldown', async () => {
    let now = 0;
    const p = provider({ retries: 0, breaker: { threshold: 3, cooldownMs: 5_000, now: () => now } });
    fake.behaviour = () => ({ kind: 'http', status: 503, contentType: 'text/html', body: '<html>down</html>' });
    const before = fake.calls.length;
    for (let i = 0; i < 3; i++) {
      const { bytes, info } = await image();
      expect(await p.recognize(bytes, info)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    }
    expect(fake.calls.length - before).toBe(3);

    // Open: answered without a call (so without waiting on the upstream).
    fake.behaviour = () => ({ kind: 'hang' });
    for (let i = 0; i < 5; i++) {
      const { bytes, info } = await image();
      const outcome = await p.recognize(bytes, info);
      expect(outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true });
      expect((outcome as { message: string }).message).toContain('circuit open');
    }
    expect(fake.calls.length - before).toBe(3);
    fake.behaviour = () => ({ kind: 'ok' });

    // Half-open after the cooldown: one trial goes out, succeeds and closes the circuit.
    now += 5_000;
    const trial = await image();
    expect((await p.recognize(trial.bytes, trial.info)).kind).toBe('identity');
    expect(fake.calls.length - before).toBe(4);
    const next = await image();
    expect((await p.recognize(next.bytes, next.info)).kind).toBe('identity');
    expect(fake.calls.length - before).toBe(5);
  });

  it('counts INNER_ERROR answers and timeouts as failures; a FAIL is an answer and resets the count', async () => {
    let now = 0;
    const p = provider({ retries: 0, settleMs: 300, breaker: { threshold: 2, cooldownMs: 1_000, now: () => now } });
    const send = async (answer: FakeAnswer) => {
      fake.behaviour = () => answer;
      const { bytes, info, hash } = await image();
      const outcome = await p.recognize(bytes, info);
      return { outcome, calls: fake.callsFor(hash) };
    };
    await send({ kind: 'status', status: 'INNER_ERROR' }); // 1 failure
    await send({ kind: 'status', status: 'FAIL' }); // an answer: back to 0
    await send({ kind: 'status', status: 'INNER_ERROR' }); // 1 failure
    expect((await send({ kind: 'ok' })).calls).toBe(1); // still closed; and the OK resets again
    await send({ kind: 'status', status: 'INNER_ERROR' }); // 1
    await send({ kind: 'hang' }); // 2: open
    const refused = await send({ kind: 'ok' });
    expect(refused.calls).toBe(0);
    expect(refused.outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('circuit open') });
  });
});

describe('ekycpro provider: circuit breaker fairness', () => {
  const POISON_TIMEOUT_MS = 150;

  it("one client's image that times out, sent again and again, never opens the circuit for everyone", async () => {
    const p = provider({ retries: 0, settleMs: POISON_TIMEOUT_MS, breaker: { threshold: 2, cooldownMs: 60_000 } });
    const poison = await image();
    fake.behaviour = (call) => (call.imageHash === poison.hash ? { kind: 'hang' } : { kind: 'ok' });
    for (let i = 0; i < 5; i++) {
      expect(await p.recognize(poison.bytes, poison.info)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    }
    expect(fake.callsFor(poison.hash)).toBe(5);
    const other = await image();
    expect((await p.recognize(other.bytes, other.info)).kind).toBe('identity');
    expect(fake.callsFor(other.hash)).toBe(1);
  });

  it('distinct images that time out do not count while the upstream answers other calls meanwhile', async () => {
    const p = provider({ retries: 0, settleMs: 600, breaker: { threshold: 2, cooldownMs: 60_000 } });
    const poisons = [await image(), await image(), await image()];
    const hashes = new Set(poisons.map((x) => x.hash));
    fake.behaviour = (call) => (hashes.has(call.imageHash ?? '') ? { kind: 'hang' } : { kind: 'ok' });
    const pending = poisons.map((x) => p.recognize(x.bytes, x.info));
    await vi.waitFor(() => expect(poisons.every((x) => fake.callsFor(x.hash) === 1)).toBe(true));
    // Answered while the three wait: the upstream is up, they are just slow images.
    const meanwhile = await image();
    expect((await p.recognize(meanwhile.bytes, meanwhile.info)).kind).toBe('identity');
    for (const outcome of await Promise.all(pending)) expect(outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const after = await image();
    expect((await p.recognize(after.bytes, after.info)).kind).toBe('identity');
    expect(fake.callsFor(after.hash)).toBe(1);
  });

  it('a hung upstream (every image times out, nobody is answered) still opens it, one distinct image per failure', async () => {
    const p = provider({ retries: 0, settleMs: POISON_TIMEOUT_MS, breaker: { threshold: 2, cooldownMs: 60_000 } });
    fake.behaviour = () => ({ kind: 'hang' });
    const first = await image();
    await p.recognize(first.bytes, first.info);
    await p.recognize(first.bytes, first.info); // the same image again: still one
    const probe = await image();
    fake.behaviour = () => ({ kind: 'ok' });
    expect((await p.recognize(probe.bytes, probe.info)).kind).toBe('identity'); // closed, and answered: reset
    fake.behaviour = () => ({ kind: 'hang' });
    for (const x of [await image(), await image()]) await p.recognize(x.bytes, x.info);
    const refused = await image();
    expect(await p.recognize(refused.bytes, refused.info)).toMatchObject({ message: expect.stringContaining('circuit open') });
    expect(fake.callsFor(refused.hash)).toBe(0);
  });

  it('HTTP 5xx counts; a 4xx (about the request, from an up upstream) does not', async () => {
    const p = provider({ retries: 0, breaker: { threshold: 2, cooldownMs: 60_000 } });
    fake.behaviour = () => ({ kind: 'http', status: 413, contentType: 'text/html', body: '<html>too large</html>' });
    for (let i = 0; i < 4; i++) {
      const x = await image();
      expect(await p.recognize(x.bytes, x.info)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(fake.callsFor(x.hash)).toBe(1);
    }
    fake.behaviour = () => ({ kind: 'http', status: 502, contentType: 'text/html', body: '<html>bad gateway</html>' });
    for (let i = 0; i < 2; i++) {
      const x = await image();
      await p.recognize(x.bytes, x.info);
    }
    const refused = await image();
    expect(await p.recognize(refused.bytes, refused.info)).toMatchObject({ message: expect.stringContaining('circuit open') });
    expect(fake.callsFor(refused.hash)).toBe(0);
  });
});

describe('ekycpro provider: bounded concurrency', () => {
  it('keeps at most maxConcurrency calls open; one waits; beyond the queue a free, retryable busy answer at once, no call', async () => {
    const p = provider({ retries: 2, maxConcurrency: 2, maxQueue: 1 });
    fake.latencyMs = 300;
    fake.peakOpen = 0;
    const images = await Promise.all(Array.from({ length: 5 }, () => image()));
    const finished: number[] = [];
    const outcomes = await Promise.all(
      images.map((x, i) =>
        p.recognize(x.bytes, x.info).then((outcome) => {
          finished.push(i);
          return outcome;
        }),
      ),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['identity', 'identity', 'identity', 'error', 'error']);
    for (const busy of outcomes.slice(3)) {
      expect(busy).toEqual({ kind: 'error', code: 'INNER_ERROR', message: 'the OCR upstream is busy with other requests, retry shortly', charged: false, retryable: true });
    }
    // Not retried (retries: 2 notwithstanding), never sent, and answered before any call came back.
    expect(images.map((x) => fake.callsFor(x.hash))).toEqual([1, 1, 1, 0, 0]);
    expect(finished.slice(0, 2).sort()).toEqual([3, 4]);
    expect(fake.peakOpen).toBe(2);
  });

  it('a recognition whose callers all left while it waited for a slot leaves the queue without a call', async () => {
    const p = provider({ retries: 0, maxConcurrency: 1, maxQueue: 4 });
    fake.latencyMs = 200;
    const [running, waiting] = [await image(), await image()];
    const controller = new AbortController();
    const first = p.recognize(running.bytes, running.info);
    const second = p.recognize(waiting.bytes, waiting.info, controller.signal);
    controller.abort();
    expect(await second).toMatchObject({ code: 'INNER_ERROR', charged: false });
    expect((await first).kind).toBe('identity');
    expect(fake.callsFor(waiting.hash)).toBe(0);
  });
});
