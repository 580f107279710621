import { afterEach, describe, expect, it, vi } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMemoryCache, estimateEntryBytes } from '../../src/recognition/memory-cache.ts';
import { estimateBytes } from '../../src/recognition/estimate-size.ts';
import { ocrError, type ProviderOutcome } from '../../src/outcome.ts';

const fail = (n: number): ProviderOutcome => ocrError('FAIL', `check input image and retry #${n}`);
const sizeOf = (key: string, outcome: ProviderOutcome) => estimateEntryBytes(outcome, key);

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
    expect(await cache.delete('k')).toBe(false);
  });

  it('counts the key in an entry’s size, as the heap holds it too', () => {
    const value = fail(1);
    expect(estimateEntryBytes(value, 'k'.repeat(200))).toBe(estimateEntryBytes(value, 'k') + estimateBytes('k'.repeat(200)) - estimateBytes('k'));
  });
});

describe('the memory estimate', () => {
  it('grows with content, counts characters beyond Latin-1 twice, follows nesting and survives cycles', () => {
    expect(estimateBytes('a'.repeat(100))).toBeGreaterThan(estimateBytes('a'.repeat(10)));
    expect(estimateBytes('é'.repeat(100))).toBe(estimateBytes('e'.repeat(100))); // Latin-1: one byte each
    expect(estimateBytes('字'.repeat(96)) - estimateBytes('')).toBe(2 * (estimateBytes('e'.repeat(96)) - estimateBytes('')));
    expect(estimateBytes({ a: { b: 'x'.repeat(50) } })).toBeGreaterThan(estimateBytes({ a: {} }) + 50);
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(estimateBytes(cyclic)).toBeGreaterThan(0);
  });

  it('is at or above the heap that cached identities really take, and not wildly above', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const identity = (i: number): ProviderOutcome =>
      // Through JSON, as an answer from the wire: fresh strings for every entry.
      JSON.parse(
        JSON.stringify({
          kind: 'identity',
          charged: true,
          fields: {
            name: `HELLO NAME ${i}`, id: `3171024302${String(i).padStart(6, '0')}`, pob: 'GARESSI SUPPA', dob: '03-02-1982',
            gender: 'PEREMPUAN', address: 'BTN UNHALU BLOK C NO. 28', rt: '006', rw: '003', village: 'KAMBU', district: 'KAMBU',
            religion: 'ISLAM', marital_status: 'KAWIN', work: 'PEGAWAI NEGERI SIPIL (PNS)', nationnality: 'WNI', city: 'KOTA KENDARI',
            province: 'SULAWESI TENGGARA',
          },
          confidence: { name: 0.93, id: 0.99, pob: 0.9, dob: 0.95 },
        }),
      );
    const count = 20_000;
    const key = (i: number) => `ekycpro:${i.toString(16).padStart(64, '0')}`;
    const cache = createMemoryCache<ProviderOutcome>({ maxBytes: 1024 ** 3 });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) await cache.set(key(i), identity(i));
    gc();
    const measured = (process.memoryUsage().heapUsed - before) / count;
    const estimated = estimateEntryBytes(identity(1), key(1));
    expect(await cache.get(key(count - 1))).toBeDefined(); // all still there, so all were measured
    expect(estimated).toBeGreaterThanOrEqual(measured);
    expect(estimated).toBeLessThan(measured * 3);
  });
});
