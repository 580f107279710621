import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryOutcomeCache } from '../../src/recognition/outcome-cache.ts';
import { ocrError, type ProviderOutcome } from '../../src/recognition/outcome.ts';

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

describe('createMemoryOutcomeCache', () => {
  it('gives back what was set, and nothing for an unknown key', () => {
    const cache = createMemoryOutcomeCache();
    cache.set('ekycpro:a', fail(1));
    expect(cache.get('ekycpro:a')).toEqual(fail(1));
    expect(cache.get('ekycpro:b')).toBeUndefined();
  });

  it('forgets an outcome once its TTL has passed, and not a moment before', () => {
    useFakeClock();
    const cache = createMemoryOutcomeCache({ ttlSeconds: 10 });
    cache.set('k', fail(1));
    vi.advanceTimersByTime(9_999);
    expect(cache.get('k')).toEqual(fail(1));
    vi.advanceTimersByTime(2);
    expect(cache.get('k')).toBeUndefined();
  });

  it('defaults to a TTL of one day', () => {
    useFakeClock();
    const cache = createMemoryOutcomeCache();
    cache.set('k', fail(1));
    vi.advanceTimersByTime(86_400_000 - 1_000);
    expect(cache.get('k')).toBeDefined();
    vi.advanceTimersByTime(2_000);
    expect(cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used outcome when the byte bound is reached', () => {
    const entry = sizeOf('k1', fail(1));
    const cache = createMemoryOutcomeCache({ maxBytes: Math.floor(entry * 2.5) });
    cache.set('k1', fail(1));
    cache.set('k2', fail(2));
    cache.get('k1'); // k1 is now more recent than k2
    cache.set('k3', fail(3));
    expect(cache.get('k1')).toEqual(fail(1));
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k3')).toEqual(fail(3));
  });

  it('counts bytes, not entries: one large outcome pushes out several small ones', () => {
    const small = sizeOf('k1', fail(1));
    const cache = createMemoryOutcomeCache({ maxBytes: small * 3 });
    cache.set('k1', fail(1));
    cache.set('k2', fail(2));
    cache.set('k3', fail(3));
    const large = ocrError('FAIL', 'x'.repeat(small * 2));
    cache.set('big', large);
    expect(cache.get('big')).toEqual(large);
    expect(['k1', 'k2', 'k3'].filter((key) => cache.get(key) !== undefined).length).toBeLessThanOrEqual(1);
  });

  it('does not keep an outcome larger than the whole bound', () => {
    const cache = createMemoryOutcomeCache({ maxBytes: 50 });
    cache.set('k', ocrError('FAIL', 'x'.repeat(100)));
    expect(cache.get('k')).toBeUndefined();
  });

  it('keeps nothing when maxBytes is 0', () => {
    const cache = createMemoryOutcomeCache({ maxBytes: 0 });
    cache.set('k', fail(1));
    expect(cache.get('k')).toBeUndefined();
  });
});
