import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { createMemoryCache } from '../../src/recognition/memory-cache.ts';
import type { KeyValueCache } from '../../src/recognition/key-value-cache.ts';
import { ocrError, type ProviderOutcome } from '../../src/outcome.ts';
import { createRecognizer } from '../../src/recognition/recognizer.ts';
import { CoalesceTimeoutError, SharingUnavailableError } from '../../src/recognition/coalesce.ts';
import { testPdf, truncated } from '../support/image-bytes.ts';
import { padPngTo, testJpeg, testPng } from '../support/images.ts';
import { deferred, identity, scriptedProvider } from '../support/scripted-provider.ts';
import { hostileImages } from '../support/hostile-images.ts';
import { validateImage } from '../../src/image/validate-image.ts';
import type { ImageInfo } from '../../src/providers/provider.ts';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

function setup(answer?: Parameters<typeof scriptedProvider>[1]) {
  const provider = scriptedProvider('scripted', answer);
  const cache = createMemoryCache<ProviderOutcome>();
  return { provider, cache, recognizer: createRecognizer({ provider, cache }) };
}

describe('createRecognizer', () => {
  it('answers the provider outcome with its content hash, not cached the first time', async () => {
    const { recognizer, provider } = setup();
    const image = await testJpeg(101);
    const outcome = await recognizer.recognize(image);
    expect(outcome).toMatchObject({ kind: 'identity', charged: true, cached: false, contentHash: contentHash(image) });
    expect(provider.calls).toHaveLength(1);
    // What the decode found travels with the bytes.
    expect(provider.calls[0]!.image).toEqual({ format: 'jpeg', byteLength: image.byteLength, width: 96, height: 64 });
  });

  it('serves a recognised image from the cache the second time, without a call', async () => {
    const { recognizer, provider } = setup();
    const image = await testPng(102);
    await recognizer.recognize(image);
    const again = await recognizer.recognize(new Uint8Array(image)); // same bytes, another buffer
    expect(again).toMatchObject({ kind: 'identity', cached: true, charged: true });
    expect(provider.calls).toHaveLength(1);
  });

  it('caches a FAIL (charged) and answers it again for free', async () => {
    const { recognizer, provider } = setup(() => ocrError('FAIL', 'check input image and retry'));
    const image = await testPng(103);
    expect(await recognizer.recognize(image)).toMatchObject({ code: 'FAIL', cached: false });
    expect(await recognizer.recognize(image)).toMatchObject({ code: 'FAIL', cached: true, charged: true });
    expect(provider.calls).toHaveLength(1);
  });

  it.each<[string, ProviderOutcome]>([
    ['INNER_ERROR', ocrError('INNER_ERROR', 'later')],
    ['UPSTREAM_UNAVAILABLE', ocrError('UPSTREAM_UNAVAILABLE', 'timeout')],
    ['IMAGE_INVALID_FORMAT', ocrError('IMAGE_INVALID_FORMAT', 'nope')],
  ])('does not cache %s: the next request asks the provider again', async (_code, outcome) => {
    const { recognizer, provider } = setup(() => outcome);
    const image = await testPng(104);
    await recognizer.recognize(image);
    expect(await recognizer.recognize(image)).toMatchObject({ code: outcome.kind === 'error' ? outcome.code : '', cached: false });
    expect(provider.calls).toHaveLength(2);
  });

  it.each([
    ['an empty file', () => new Uint8Array(0), 'INVALID_REQUEST'],
    ['a PDF', () => testPdf(105), 'IMAGE_INVALID_FORMAT'],
    ['a truncated JPEG', async () => truncated(await testJpeg(105, 64, 64)), 'IMAGE_INVALID_FORMAT'],
    ['2 MiB + 1 byte', async () => padPngTo(await testPng(105), 2 * 1024 * 1024 + 1), 'IMAGE_INVALID_SIZE'],
  ])('answers %s itself, without calling the provider', async (_name, make, code) => {
    const { recognizer, provider } = setup();
    const outcome = await recognizer.recognize(await make());
    expect(outcome).toMatchObject({ kind: 'error', code, charged: false, cached: false });
    expect(provider.calls).toHaveLength(0);
  });

  it('reports no content hash for an empty upload', async () => {
    const { recognizer } = setup();
    expect((await recognizer.recognize(new Uint8Array(0))).contentHash).toBeNull();
  });

  it('shares one provider call between concurrent requests for the same bytes', async () => {
    const gate = deferred<ProviderOutcome>();
    const { recognizer, provider } = setup(() => gate.promise);
    const image = await testPng(106);
    const pending = Array.from({ length: 20 }, () => recognizer.recognize(image));
    await new Promise((resolve) => setTimeout(resolve, 5));
    gate.resolve(identity());
    const outcomes = await Promise.all(pending);
    expect(provider.calls).toHaveLength(1);
    expect(outcomes.filter((o) => !o.cached)).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === 'identity')).toBe(true);
  });

  it('keeps a paid answer even when every caller has gone away', async () => {
    const gate = deferred<ProviderOutcome>();
    const { recognizer, provider } = setup(() => gate.promise);
    const image = await testPng(107);
    const controller = new AbortController();
    const first = recognizer.recognize(image, { signal: controller.signal });
    await until(() => provider.calls.length === 1); // after the decode
    controller.abort();
    expect(provider.calls[0]!.signal?.aborted).toBe(true);
    gate.resolve(identity());
    await first;
    expect(await recognizer.recognize(image)).toMatchObject({ kind: 'identity', cached: true });
    expect(provider.calls).toHaveLength(1);
  });

  it('keys the cache by provider, so two providers never share an answer', async () => {
    const cache = createMemoryCache<ProviderOutcome>();
    const a = scriptedProvider('a');
    const b = scriptedProvider('b', () => ocrError('FAIL', 'b says no'));
    const image = await testPng(108);
    await createRecognizer({ provider: a, cache }).recognize(image);
    expect(await createRecognizer({ provider: b, cache }).recognize(image)).toMatchObject({ code: 'FAIL', cached: false });
    expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
  });

  it('trusts a content hash the caller already computed', async () => {
    const { recognizer } = setup();
    const image = await testPng(109);
    expect((await recognizer.recognize(image, { contentHash: 'precomputed' })).contentHash).toBe('precomputed');
  });

  it('refuses images over maxImageBytes before the provider', async () => {
    const provider = scriptedProvider();
    const image = await testPng(110);
    const recognizer = createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), maxImageBytes: image.byteLength - 1 });
    expect(await recognizer.recognize(image)).toMatchObject({ code: 'IMAGE_INVALID_SIZE' });
    expect(provider.calls).toHaveLength(0);
  });

  it('looks in the cache again once it leads the flight: an answer that landed meanwhile is not paid for again', async () => {
    // What another replica does between this request's first look and its lease: it stores the answer.
    const provider = scriptedProvider();
    const kept = identity();
    let looks = 0;
    const cache = {
      get: async () => (++looks === 1 ? undefined : kept),
      set: async () => {},
      delete: async () => false,
    };
    const outcome = await createRecognizer({ provider, cache }).recognize(await testPng(111));
    expect(outcome).toMatchObject({ kind: 'identity', cached: true });
    expect(provider.calls).toHaveLength(0);
    expect(looks).toBe(2);
  });

  it('answers a free retryable error, not a throw, when the coalescer cannot share or gives up waiting', async () => {
    const provider = scriptedProvider();
    const image = await testPng(112);
    const failing = (error: Error) => ({ size: 0, run: async () => Promise.reject(error) });
    const timedOut = await createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), coalescer: failing(new CoalesceTimeoutError('x')) }).recognize(image);
    expect(timedOut).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, charged: false, cached: false });
    const refused = await createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), coalescer: failing(new SharingUnavailableError('x')) }).recognize(image);
    expect(refused).toMatchObject({ kind: 'error', code: 'UPSTREAM_UNAVAILABLE', retryable: true, charged: false });
    expect(provider.calls).toHaveLength(0);
  });
  it('decodes every image before the provider: each hostile file is refused, free, not retryable, not kept', async () => {
    const { recognizer, provider, cache } = setup();
    const files = await hostileImages(11);
    expect(files.length).toBeGreaterThanOrEqual(33);
    for (const file of files) {
      const outcome = await recognizer.recognize(file.bytes);
      expect(outcome, file.name).toMatchObject({ kind: 'error', code: file.code, charged: false, retryable: false, cached: false });
      expect(await cache.get(`scripted:${contentHash(file.bytes)}`), file.name).toBeUndefined();
    }
    expect(provider.calls).toHaveLength(0);
  });

  it('answers a cache hit without decoding: a kept answer was checked when it was made', async () => {
    let decodes = 0;
    const provider = scriptedProvider();
    const cache = createMemoryCache<ProviderOutcome>();
    const recognizer = createRecognizer({
      provider,
      cache,
      validate: (bytes, image) => {
        decodes++;
        return validateImage(bytes, image);
      },
    });
    const image = await testPng(111);
    await recognizer.recognize(image);
    await recognizer.recognize(image);
    expect([decodes, provider.calls.length]).toEqual([1, 1]);
  });

  it('decodes once for 50 identical uploads in flight, and refuses them all when the image is broken', async () => {
    let decodes = 0;
    const provider = scriptedProvider();
    const recognizer = createRecognizer({
      provider,
      cache: createMemoryCache<ProviderOutcome>(),
      validate: (bytes, image) => {
        decodes++;
        return validateImage(bytes, image);
      },
    });
    const broken = (await hostileImages(12)).find((file) => file.name.startsWith('PNG with a corrupt IDAT'))!;
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => recognizer.recognize(broken.bytes)));
    expect(decodes).toBe(1);
    expect(new Set(outcomes.map((o) => (o.kind === 'error' ? o.code : o.kind)))).toEqual(new Set(['IMAGE_INVALID_FORMAT']));
    expect(provider.calls).toHaveLength(0);
  });

  it('applies the configured pixel limits', async () => {
    const provider = scriptedProvider();
    const recognizer = createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), imageLimits: { maxPixels: 6000, minSide: 64, maxAspect: 8 } });
    expect(await recognizer.recognize(await testPng(112, 96, 64))).toMatchObject({
      code: 'IMAGE_INVALID_SIZE',
      message: 'the image is 96x64 pixels, more than the 6000 allowed',
    });
    expect(await recognizer.recognize(await testPng(113, 64, 64))).toMatchObject({ kind: 'identity' });
    expect(provider.calls).toHaveLength(1);
  });
});

describe('createRecognizer: what is kept, for how long, and what can be looked up (found by StrykerJS)', () => {
  it('keeps the offline engine’s free answers that will not change: an identity and a FAIL', async () => {
    for (const [seed, answer] of [
      [120, { ...identity(), charged: false }],
      [121, ocrError('FAIL', 'no KTP in this image', { charged: false })],
    ] as const) {
      const { recognizer, provider } = setup(() => answer);
      const image = await testPng(seed);
      expect(await recognizer.recognize(image)).toMatchObject({ kind: answer.kind, charged: false, cached: false });
      expect(await recognizer.recognize(image)).toMatchObject({ kind: answer.kind, charged: false, cached: true });
      expect(provider.calls).toHaveLength(1);
    }
  });

  it('hands the configured TTL to the cache with every outcome it keeps, and none when unset', async () => {
    const sets: unknown[] = [];
    const recording = (): KeyValueCache<ProviderOutcome> => {
      const inner = createMemoryCache<ProviderOutcome>();
      return { ...inner, set: (key, value, options) => (sets.push(options), inner.set(key, value, options)) };
    };
    await createRecognizer({ provider: scriptedProvider(), cache: recording(), ttlSeconds: 30 }).recognize(await testPng(122));
    await createRecognizer({ provider: scriptedProvider(), cache: recording() }).recognize(await testPng(123));
    expect(sets).toEqual([{ ttl: 30 }, undefined]);
  });

  it('peek(hash): a kept answer by its content hash, marked cached; nothing for an unknown hash or another provider', async () => {
    const { recognizer, cache } = setup();
    const image = await testPng(124);
    const hash = contentHash(image);
    expect(await recognizer.peek(hash)).toBeUndefined();
    await recognizer.recognize(image);
    expect(await recognizer.peek(hash)).toMatchObject({ kind: 'identity', cached: true, contentHash: hash });
    const other = createRecognizer({ provider: scriptedProvider('other'), cache });
    expect(await other.peek(hash)).toBeUndefined();
  });

  it('says why a flight could not be shared, and throws what is not a sharing failure', async () => {
    const provider = scriptedProvider();
    const image = await testPng(125);
    const failing = (error: Error) => createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>(), coalescer: { size: 0, run: async () => Promise.reject(error) } });
    expect(await failing(new CoalesceTimeoutError('x')).recognize(image)).toMatchObject({
      message: 'an identical image is being recognised by another gateway replica; retry shortly',
    });
    expect(await failing(new SharingUnavailableError('x')).recognize(image)).toMatchObject({
      message: 'the shared cache is unreachable and is required before a paid call; retry shortly',
    });
    await expect(failing(new Error('a bug')).recognize(image)).rejects.toThrow('a bug');
  });

  it('hashes the bytes with SHA-256, as hex', () => {
    // The digest of "abc" from FIPS 180-2, appendix B.1.
    expect(contentHash(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
