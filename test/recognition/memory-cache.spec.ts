import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from '../../src/recognition/memory-cache.ts';
import { ocrError, type ProviderOutcome } from '../../src/outcome.ts';

const fail = (n: number): ProviderOutcome => ocrError('FAIL', `check input image and retry #${n}`);
const sizeOf = (key: string, outcome: ProviderOutcome) => key.length + JSON.stringify(outcome).length;

/**
 * lru-cache reads its clock from the `performance` object it captured when it was imported;
 * vitest's fake timers install a new global rather than patching that one. Point the captured
 * clock at the faked `Date` so that advancing the fake timers ages the entries.
 */
function useFakeClock(): void {
  const realPerformance = globalThis.performance;
  vi.useFakeTimers();
  vi.spyOn(realPerformance, 'now').mockImplementation(() => Date.now());
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createMemoryCache', () => {
  it('gives back what was set, and nothing for an unknown key', async () => {
    const cache = createMemoryCache<ProviderOutcome>();
    await cache.set('ekycpro:a', fail(1));
    expect(await cache.get('ekycpro:a')).toEqual(fail(1));
    expect(await cache.get('ekycpro:b')).toBeUndefined();
  });

  it('forgets an outcome once its TTL has passed, and not a moment before', async () => {
    useFakeClock();
    const cache = createMemoryCache<ProviderOutcome>({ ttlSeconds: 10 });
    await cache.set('k', fail(1));
    vi.advanceTimersByTime(9_999);
    expect(await cache.get('k')).toEqual(fail(1));
    vi.advanceTimersByTime(2);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('defaults to a TTL of one day', async () => {
    useFakeClock();
    const cache = createMemoryCache<ProviderOutcome>();
    await cache.set('k', fail(1));
    vi.advanceTimersByTime(86_400_000 - 1_000);
    expect(await cache.get('k')).toBeDefined();
    vi.advanceTimersByTime(2_000);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used outcome when the byte bound is reached', async () => {
    const entry = sizeOf('k1', fail(1));
    const cache = createMemoryCache<ProviderOutcome>({ maxBytes: Math.floor(entry * 2.5) });
    await cache.set('k1', fail(1));
    await cache.set('k2', fail(2));
    await cache.get('k1'); // k1 is now more recent than k2
    await cache.set('k3', fail(3));
    expect(await cache.get('k1')).toEqual(fail(1));
    expect(await cache.get('k2')).toBeUndefined();
    expect(await cache.get('k3')).toEqual(fail(3));
  });

  it('counts bytes, not entries: one large outcome pushes out several small ones', async () => {
    const small = sizeOf('k1', fail(1));
    const cache = createMemoryCache<ProviderOutcome>({ maxBytes: small * 3 });
    await cache.set('k1', fail(1));
    await cache.set('k2', fail(2));
    await cache.set('k3', fail(3));
    const large = ocrError('FAIL', 'x'.repeat(small * 2));
    await cache.set('big', large);
    expect(await cache.get('big')).toEqual(large);
    const kept = await Promise.all(['k1', 'k2', 'k3'].map((key) => cache.get(key)));
    expect(kept.filter((outcome) => outcome !== undefined).length).toBeLessThanOrEqual(1);
  });

  it('does not keep an outcome larger than the whole bound', async () => {
    const cache = createMemoryCache<ProviderOutcome>({ maxBytes: 50 });
    await cache.set('k', ocrError('FAIL', 'x'.repeat(100)));
    expect(await cache.get('k')).toBeUndefined();
  });

  it('takes a TTL per entry, in seconds, over the default', async () => {
    useFakeClock();
    const cache = createMemoryCache<ProviderOutcome>({ ttlSeconds: 100 });
    await cache.set('short', fail(1), { ttl: 5 });
    await cache.set('long', fail(2));
    vi.advanceTimersByTime(5_001);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toEqual(fail(2));
  });

  it('deletes an entry and says whether there was one', async () => {
    const cache = createMemoryCache<ProviderOutcome>();
    await cache.set('k', fail(1));
    expect(await cache.delete('k')).toBe(true);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.delete('k')).toBe(false);
  });

  it('keeps nothing when maxBytes is 0', async () => {
    const cache = createMemoryCache<ProviderOutcome>({ maxBytes: 0 });
    await cache.set('k', fail(1));
    expect(await cache.get('k')).toBeUndefined();
  });
});
