/**
 * The local provider end to end: real worker threads, real PP-OCR models, synthetic fixtures.
 * Slow by nature (seconds per card on two cores), so the pool is warmed once and few images are read.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectImage, isErrorOutcome } from '../../../src/recognition/inspect-image.ts';
import type { ProviderOutcome } from '../../../src/outcome.ts';
import { createLocalProvider, type LocalProvider } from '../../../src/providers/local/index.ts';
import { hostileImages } from '../../support/hostile-images.ts';

const cards = new URL('../../fixtures/cards/', import.meta.url);
const bytesOf = async (path: string) => new Uint8Array(await readFile(new URL(path, cards)));
const truthOf = async (id: string) => JSON.parse(await readFile(new URL(`${id}/truth.json`, cards), 'utf8')) as { id: string };

let provider: LocalProvider;

async function recognize(bytes: Uint8Array, signal?: AbortSignal): Promise<ProviderOutcome> {
  const info = inspectImage(bytes);
  if (isErrorOutcome(info)) throw new Error(`fixture refused by inspection: ${info.message}`);
  return provider.recognize(bytes, info, signal);
}

beforeAll(async () => {
  // One worker: a second would load the models again for reads that run one or four at a time, and
  // one worker keeps the main thread free as well as two. pool.spec.ts spreads jobs over two workers;
  // npm-start.spec.ts reads a card with the default two real ones.
  provider = createLocalProvider({ poolSize: 1 });
  expect(provider.isReady()).toBe(false);
  await provider.warmUp();
});

afterAll(async () => {
  await provider?.close();
});

describe('createLocalProvider (real engine)', () => {
  it('is ready once warm', () => {
    expect(provider.name).toBe('local');
    expect(provider.isReady()).toBe(true);
  });

  it('answers FAIL (free) for a shop receipt', async () => {
    const outcome = await recognize(await bytesOf('ktp-09185/not-a-ktp.jpg'));
    expect(outcome).toMatchObject({ kind: 'error', code: 'FAIL', charged: false, retryable: false });
  });

  it('answers IMAGE_INVALID_FORMAT (free) for images that pass inspection but cannot be decoded', async () => {
    const jpeg = await bytesOf('ktp-09001/w640.jpg');
    const cutJpeg = Uint8Array.from([...jpeg.subarray(0, jpeg.length >> 1), 0xff, 0xd9]);
    const bmp = await bytesOf('ktp-09185/bmp.bmp');
    const cutBmp = bmp.subarray(0, bmp.length >> 1);
    for (const bytes of [cutJpeg, cutBmp]) {
      expect(await recognize(bytes)).toMatchObject({ kind: 'error', code: 'IMAGE_INVALID_FORMAT', charged: false, retryable: false });
    }
  });

  it('answers hostile files handed to it directly (no validation in front) with a free typed error, and stays healthy', async () => {
    // The recognizer refuses these before any provider; the engine must not depend on that. Every
    // file goes through the engine's decode in bmp.spec.ts; here a few of each kind go end to end.
    const kinds = [/^PNG bomb: 20000/, /^PNG of 39,000,000x1/, /^PNG with a corrupt IDAT/, /^JPEG of 110 bytes/, /^JPEG of 32x20/, /^BMP compressed with RLE8/];
    const files = (await hostileImages(41)).filter((file) => kinds.some((kind) => kind.test(file.name)));
    expect(files).toHaveLength(kinds.length);
    for (const file of files) {
      const outcome = await provider.recognize(file.bytes, inspectImage(file.bytes) as Exclude<ReturnType<typeof inspectImage>, { kind: 'error' }>);
      expect(outcome, file.name).toMatchObject({ kind: 'error', charged: false });
      // Refused as undecodable, or decoded (shrunk on load) and found to hold no card: never a crash.
      expect(['IMAGE_INVALID_FORMAT', 'FAIL'], file.name).toContain(outcome.kind === 'error' ? outcome.code : '');
    }
    const outcome = await recognize(await bytesOf('ktp-09185/w640.jpg'));
    expect(outcome.kind === 'identity' && outcome.fields.id).toBe((await truthOf('ktp-09185')).id);
  });

  it('keeps the main thread free while four cards are in flight', async () => {
    const files = ['ktp-09010/clean.png', 'ktp-09071/rot180.jpg', 'ktp-09185/bmp.bmp', 'ktp-09001/exif-rotated.jpg'];
    const inputs = await Promise.all(files.map(bytesOf));
    // Order, not milliseconds: OCR on this thread would run each read to completion before any
    // timer could fire. With the reads in workers, timers queued after all four were sent keep
    // firing before the first answer comes back. (The lag itself is a figure: `npm run bench:busy`.)
    const events: string[] = [];
    const reads = inputs.map((bytes) => recognize(bytes).then((outcome) => (events.push('answer'), outcome)));
    let ticks = 0;
    const probe = setInterval(() => {
      if (ticks++ < 3) events.push('tick');
    }, 1);
    let outcomes: ProviderOutcome[];
    try {
      outcomes = await Promise.all(reads);
    } finally {
      // Cleared on every path, or a failing read would leave the probe keeping the worker alive.
      clearInterval(probe);
    }
    // Each card read through the worker is an identity, free of charge. (ktp-09001/photo.jpg, the card
    // photographed on a table, is read field by field by the same engine in read-what-is-printed.spec.ts.)
    for (const [i, file] of files.entries()) {
      const outcome = outcomes[i]!;
      expect(outcome, file).toMatchObject({ kind: 'identity', charged: false });
      expect(outcome.kind === 'identity' && outcome.fields.id, file).toBe((await truthOf(file.split('/')[0]!)).id);
    }
    expect(events.slice(0, 3)).toEqual(['tick', 'tick', 'tick']);
    // One worker reads the four in turn: on a busy 2-core machine that can outlast the default 30 s.
  }, 120_000);
});

// Timeouts and close() with the real engine: close-in-flight.spec.ts (a child process, in a file of its own).
