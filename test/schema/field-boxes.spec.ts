/**
 * `fieldBoxes` and `portrait` through `yoga.fetch`: the real offline engine on one synthetic card
 * (one worker, warmed once), and the paid provider's answer, which locates nothing.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import { createLocalProvider, type LocalProvider } from '../../src/providers/local/index.ts';
import { uploadInit } from '../support/multipart.ts';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { createSharedMemory } from '../../src/recognition/shared-memory.ts';
import { cleanup, describeRedis, REDIS_TEST_URL, uniquePrefix, waitForLink } from '../support/redis.ts';
import { identity, scriptedProvider } from '../support/scripted-provider.ts';

const BOXES = /* GraphQL */ `
  mutation Boxes($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity {
        nik
        cached
        fieldBoxes { field box { x y width height } }
        portrait { x y width height }
        confidence { field }
      }
    }
  }
`;

interface Box { x: number; y: number; width: number; height: number }
interface Answer {
  __typename: string;
  nik: string;
  cached: boolean;
  fieldBoxes: { field: string; box: Box }[];
  portrait: Box | null;
  confidence: { field: string }[];
}

async function recognize(gateway: Gateway, bytes: Uint8Array, type: string): Promise<Answer> {
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', uploadInit({ bytes, type, filename: 'card' }, { query: BOXES }));
  const body = (await response.json()) as { data?: { recognizeKtp: Answer }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!.recognizeKtp;
}

const inside = (box: Box, width: number, height: number) =>
  box.x >= 0 && box.y >= 0 && box.width > 0 && box.height > 0 && box.x + box.width <= width && box.y + box.height <= height;
const contains = (outer: Box, inner: Box) =>
  outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.width >= inner.x + inner.width && outer.y + outer.height >= inner.y + inner.height;

describe('fieldBoxes and portrait from the offline engine', () => {
  let provider: LocalProvider;
  let gateway: Gateway;
  const card = new URL('../fixtures/cards/ktp-09001/', import.meta.url);
  let bytes: Uint8Array;
  let truth: Record<string, string>;

  beforeAll(async () => {
    provider = createLocalProvider({ poolSize: 1 });
    await provider.warmUp();
    gateway = createGateway({ config: loadConfig({}), provider });
    bytes = new Uint8Array(await readFile(new URL('clean.png', card)));
    truth = JSON.parse(await readFile(new URL('truth.json', card), 'utf8')) as Record<string, string>;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('puts every box inside the 1000x630 image, the NIK box over the printed NIK, and the photo apart', async () => {
    const answer = await recognize(gateway, bytes, 'image/png');
    expect(answer).toMatchObject({ __typename: 'KtpIdentity', nik: truth.id, cached: false });
    // One box per field read, keyed like `confidence` and `raw`.
    const fields = answer.fieldBoxes.map((b) => b.field);
    expect(fields.length).toBeGreaterThanOrEqual(10);
    expect(new Set(fields).size).toBe(fields.length);
    for (const field of fields) expect(Object.keys(truth)).toContain(field);
    for (const { field, box } of answer.fieldBoxes) {
      expect(inside(box, 1000, 630), `${field} ${JSON.stringify(box)}`).toBe(true);
      for (const v of Object.values(box)) expect(Number.isInteger(v)).toBe(true);
    }
    // tools/synthetic-ktp/render.ts prints the NIK's 16 OCR-A digits (40 px) from x = 243 ± 10 on the
    // baseline y = 151 ± 8: its middle run, x 280..600 at y 130..145, is printed on every such card.
    const nik = answer.fieldBoxes.find((b) => b.field === 'id')!.box;
    expect(contains(nik, { x: 280, y: 130, width: 320, height: 15 }), JSON.stringify(nik)).toBe(true);
    expect(nik.height).toBeLessThan(80);
    // The photo sits at the right (x from 768 ± 10), below the header, and is larger than the NIK.
    const portrait = answer.portrait!;
    expect(inside(portrait, 1000, 630)).toBe(true);
    expect(portrait.x).toBeGreaterThan(700);
    expect(portrait.width * portrait.height).toBeGreaterThan(nik.width * nik.height);
  });

  it('answers the same boxes from the cache', async () => {
    const first = await recognize(gateway, bytes, 'image/png');
    const again = await recognize(gateway, bytes, 'image/png');
    expect(again.cached).toBe(true);
    expect(first.fieldBoxes.length).toBeGreaterThan(0);
    expect(again.fieldBoxes).toEqual(first.fieldBoxes);
    expect(again.portrait).toEqual(first.portrait);
  });
});

describe('fieldBoxes and portrait from the paid provider', () => {
  it('are an empty list and null: the paid API locates nothing', async () => {
    const gateway = createGateway({ config: loadConfig({ KTP_PROVIDER: 'ekycpro' }), provider: scriptedProvider() });
    const answer = await recognize(gateway, new Uint8Array(await readFile(new URL('../fixtures/cards/ktp-09001/w640.jpg', import.meta.url))), 'image/jpeg');
    expect(answer).toMatchObject({ __typename: 'KtpIdentity', fieldBoxes: [], portrait: null });
  });
});

describeRedis('fieldBoxes and portrait from the shared cache', () => {
  const prefix = uniquePrefix('boxes');
  afterAll(() => cleanup(prefix));

  it('are returned by another replica that finds the answer in Redis', async () => {
    const keys = parseKeyRing(randomBytes(32).toString('hex'));
    const located = { ...identity(), charged: false, boxes: { id: { x: 240, y: 110, width: 400, height: 45 }, name: { x: 240, y: 170, width: 300, height: 30 }, portrait: { x: 770, y: 120, width: 190, height: 250 } } };
    const replica = async () => {
      const shared = createSharedMemory({
        redis: { url: REDIS_TEST_URL, prefix, keys, maxValueBytes: 65_536, leaseMs: 10_000, waitMs: 10_000 },
        cache: { maxBytes: 1024 * 1024, ttlSeconds: 600 },
        failClosed: false,
      });
      await waitForLink(shared.link);
      const provider = scriptedProvider('local', () => located);
      return { shared, provider, gateway: createGateway({ config: loadConfig({}), provider, cache: shared.cache, coalescer: shared.coalescer }) };
    };
    const [a, b] = [await replica(), await replica()];
    try {
      const bytes = new Uint8Array(await readFile(new URL('../fixtures/cards/ktp-09001/w640.jpg', import.meta.url)));
      const first = await recognize(a.gateway, bytes, 'image/jpeg');
      const again = await recognize(b.gateway, bytes, 'image/jpeg');
      expect(b.provider.calls).toHaveLength(0);
      expect(again.cached).toBe(true);
      // The portrait apart from the fields, which keep the provider's order.
      expect(first.fieldBoxes).toEqual([
        { field: 'id', box: located.boxes.id },
        { field: 'name', box: located.boxes.name },
      ]);
      expect(first.portrait).toEqual(located.boxes.portrait);
      expect(again.fieldBoxes).toEqual(first.fieldBoxes);
      expect(again.portrait).toEqual(first.portrait);
    } finally {
      await Promise.all([a.shared.close(), b.shared.close()]);
    }
  });
});
