import { describe, expect, it } from 'vitest';
import { createSpendLimits } from '../../src/access/spend-limits.ts';
import { ocrError, type ProviderOutcome } from '../../src/outcome.ts';
import { createMemoryCache } from '../../src/recognition/memory-cache.ts';
import { createRecognizer, type RecognitionEvent, type RecognizerOptions } from '../../src/recognition/recognizer.ts';
import { testPdf } from '../support/image-bytes.ts';
import { testJpeg } from '../support/images.ts';
import { deferred, identity, scriptedProvider } from '../support/scripted-provider.ts';

/** The recognizer's hooks, scopes and limits, as the modules that attach to them see them. */
function setup(options: Partial<RecognizerOptions> = {}, answer?: Parameters<typeof scriptedProvider>[1]) {
  const provider = Object.assign(scriptedProvider('scripted', answer), { paid: true });
  const recognizer = createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), ...options });
  const events: RecognitionEvent[] = [];
  recognizer.onOutcome((event) => events.push(event));
  return { provider, recognizer, events };
}

const alice = { id: 'alice' };
const bob = { id: 'bob' };

describe('onOutcome', () => {
  it('reports each answer once with its source (provider, cache, coalesced, refused), whether it was paid, and its timing', async () => {
    const gate = deferred<ProviderOutcome>();
    const { recognizer, events } = setup({}, () => gate.promise);
    const image = await testJpeg(501);
    const before = performance.now();
    const first = recognizer.recognize(image, { caller: alice });
    const joined = recognizer.recognize(image, { caller: alice });
    await new Promise((resolve) => setTimeout(resolve, 20));
    gate.resolve(identity());
    await Promise.all([first, joined]);
    await recognizer.recognize(image, { caller: alice });
    await recognizer.recognize(testPdf(), { caller: alice });
    expect(events.map((e) => [e.source, e.paid, e.outcome.cached])).toEqual([
      ['provider', true, false],
      ['coalesced', false, true],
      ['cache', false, true],
      ['refused', false, false],
    ]);
    // Durations are bounded by the test's own clock around the calls: an order, not a speed.
    const elapsed = performance.now() - before;
    expect(events.every((e) => e.caller.id === 'alice' && e.durationMs >= 0 && e.durationMs <= elapsed)).toBe(true);
    expect(events[0]!.providerMs).toBeGreaterThanOrEqual(0);
    expect(events[0]!.providerMs).toBeLessThanOrEqual(events[0]!.durationMs);
    // Only the request that called the provider says how long the provider took.
    expect(events.slice(1).some((e) => 'providerMs' in e)).toBe(false);
  });

  it('a request refused by a limit is reported as refused, unpaid and not cached', async () => {
    const { recognizer, events } = setup({ spend: createSpendLimits() });
    const once = { id: 'once', requestsPerMinute: 1 };
    const image = await testJpeg(503);
    await recognizer.recognize(image, { caller: once });
    expect(await recognizer.recognize(image, { caller: once })).toMatchObject({ code: 'RATE_LIMITED' });
    expect(events.map((e) => [e.source, e.paid, e.outcome.cached])).toEqual([
      ['provider', true, false],
      ['refused', false, false],
    ]);
  });

  it('tells the provider which client it calls for (the engine queue serves clients in turn)', async () => {
    const { recognizer, provider } = setup();
    await recognizer.recognize(await testJpeg(504), { caller: alice });
    expect(provider.calls.map((call) => call.client)).toEqual(['alice']);
  });

  it('a detached listener hears nothing more', async () => {
    const { recognizer } = setup();
    const heard: string[] = [];
    const detach = recognizer.onOutcome((event) => heard.push(event.source));
    await recognizer.recognize(await testJpeg(505));
    detach();
    await recognizer.recognize(await testJpeg(506));
    expect(heard).toEqual(['provider']);
  });

  it('a listener that throws changes no answer', async () => {
    const { recognizer } = setup();
    recognizer.onOutcome(() => {
      throw new Error('metrics are down');
    });
    expect(await recognizer.recognize(await testJpeg(502))).toMatchObject({ kind: 'identity' });
  });
});

describe('CACHE_SCOPE', () => {
  it('client (the default): another client\'s upload of the same bytes is neither cached nor coalesced for you: you pay once, yourself', async () => {
    const { recognizer, provider, events } = setup();
    const image = await testJpeg(510);
    await recognizer.recognize(image, { caller: alice });
    const bobsFirst = await recognizer.recognize(image, { caller: bob });
    expect(bobsFirst.cached).toBe(false);
    expect(provider.calls).toHaveLength(2);
    expect((await recognizer.recognize(image, { caller: bob })).cached).toBe(true);
    expect(provider.calls).toHaveLength(2);
    expect(events.filter((e) => e.paid).map((e) => e.caller.id)).toEqual(['alice', 'bob']);
    // Nor can Bob read Alice's answer back by its hash.
    expect(await recognizer.peek(bobsFirst.contentHash!, { id: 'carol' })).toBeUndefined();
  });

  it('shared: one call per image for everyone; the second client is answered from the cache', async () => {
    const { recognizer, provider } = setup({ cacheScope: 'shared' });
    const image = await testJpeg(511);
    await recognizer.recognize(image, { caller: alice });
    expect(await recognizer.recognize(image, { caller: bob })).toMatchObject({ cached: true });
    expect(provider.calls).toHaveLength(1);
    // One answer per image, not one for every image.
    expect(await recognizer.recognize(await testJpeg(512), { caller: bob })).toMatchObject({ cached: false });
    expect(provider.calls).toHaveLength(2);
  });
});

describe('spend limits', () => {
  it('RATE_LIMITED past the client\'s requests per minute: free, retryable, with retryAfterSeconds; other clients unaffected', async () => {
    const { recognizer, provider } = setup({ spend: createSpendLimits() });
    const limited = { id: 'limited', requestsPerMinute: 2 };
    const image = await testJpeg(520);
    await recognizer.recognize(image, { caller: limited });
    await recognizer.recognize(image, { caller: limited });
    const third = await recognizer.recognize(image, { caller: limited });
    expect(third).toMatchObject({ kind: 'error', code: 'RATE_LIMITED', charged: false, retryable: true });
    expect(third.kind === 'error' && third.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(third.kind === 'error' && third.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await recognizer.recognize(image, { caller: bob })).kind).toBe('identity');
    expect(provider.calls).toHaveLength(2);
  });

  it('QUOTA_EXCEEDED once the day\'s paid calls are spent: no call; cache hits stay free and served', async () => {
    const { recognizer, provider } = setup({ spend: createSpendLimits() });
    const budget = { id: 'budget', paidCallsPerDay: 2 };
    const images = await Promise.all([530, 531, 532].map((seed) => testJpeg(seed)));
    await recognizer.recognize(images[0]!, { caller: budget });
    await recognizer.recognize(images[1]!, { caller: budget });
    const over = await recognizer.recognize(images[2]!, { caller: budget });
    expect(over).toMatchObject({ kind: 'error', code: 'QUOTA_EXCEEDED', charged: false, retryable: true, cached: false });
    expect(over.kind === 'error' && over.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(provider.calls).toHaveLength(2);
    expect(await recognizer.recognize(images[0]!, { caller: budget })).toMatchObject({ kind: 'identity', cached: true });
    expect((await recognizer.recognize(images[2]!, { caller: bob })).kind).toBe('identity');
  });

  it('only charged calls spend the budget: a free refusal from the provider gives its reservation back', async () => {
    let call = 0;
    const { recognizer, provider } = setup({ spend: createSpendLimits() }, () =>
      call++ < 3 ? ocrError('INNER_ERROR', 'busy', { retryable: true, charged: false }) : identity(),
    );
    const budget = { id: 'one-a-day', paidCallsPerDay: 1 };
    for (const seed of [540, 541, 542]) expect(await recognizer.recognize(await testJpeg(seed), { caller: budget })).toMatchObject({ code: 'INNER_ERROR' });
    expect(await recognizer.recognize(await testJpeg(543), { caller: budget })).toMatchObject({ kind: 'identity' });
    expect(await recognizer.recognize(await testJpeg(544), { caller: budget })).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(provider.calls).toHaveLength(4);
  });

  it('a free provider (the local engine) never spends a budget, even a budget of 0', async () => {
    const provider = scriptedProvider('local', () => ({ ...identity(), charged: false }));
    const recognizer = createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), spend: createSpendLimits() });
    expect(await recognizer.recognize(await testJpeg(550), { caller: { id: 'zero', paidCallsPerDay: 0 } })).toMatchObject({ kind: 'identity' });
  });

  it('shared scope: joining a flight led by a client over its budget, another client is served by its own call', async () => {
    const gate = deferred<void>();
    const { recognizer, provider, events } = setup({ cacheScope: 'shared', spend: createSpendLimits() }, async () => {
      await gate.promise;
      return identity();
    });
    const spent = { id: 'spent', paidCallsPerDay: 0 };
    const image = await testJpeg(560);
    const refused = recognizer.recognize(image, { caller: spent });
    const served = recognizer.recognize(image, { caller: bob });
    gate.resolve();
    expect(await refused).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(await served).toMatchObject({ kind: 'identity' });
    expect(provider.calls).toHaveLength(1);
    // Served as itself: its own call, on its own budget.
    expect(provider.calls[0]!.client).toBe('bob');
    expect(events.filter((e) => e.paid).map((e) => e.caller.id)).toEqual(['bob']);
  });
});
