import { LRUCache } from 'lru-cache';
import { noteRetryAfter } from '../access/use-retry-after.ts';
import { normaliseIdentity } from '../ktp/normalise.ts';
import { contentHash } from '../recognition/content-hash.ts';
import type { KtpIdentityData } from '../ktp/identity.ts';
import type { FieldBoxes, FieldConfidence, RawKtpFields } from '../ktp/raw-fields.ts';
import type { Outcome } from '../outcome.ts';
import { builder } from './builder.ts';
import type { FieldBoxData } from './ktp-field-box.ts';
import { KtpIdentity, type KtpIdentityModel } from './ktp-identity.ts';
import { OcrError, type OcrErrorModel } from './ocr-error.ts';

const RecognizeKtpResult = builder.unionType('RecognizeKtpResult', {
  description: 'What `recognizeKtp` answers: the card\'s fields, or why there are none.',
  types: [KtpIdentity, OcrError],
});

builder.mutationField('recognizeKtp', (t) =>
  t.field({
    type: RecognizeKtpResult,
    description:
      'Recognise a photo or scan of an Indonesian e-KTP (jpeg, png or bmp, at most 2 MiB). The same bytes are never paid for twice.',
    args: {
      image: t.arg({ type: 'Upload', required: true }),
    },
    resolve: async (_root, { image }, context) => {
      const bytes = await bytesOf(image);
      const outcome = await context.recognitions.load({ bytes, contentHash: contentHash(bytes) });
      // A limit's wait also goes out as `Retry-After` (useRetryAfter); Yoga's context carries the request.
      if (outcome.kind === 'error') noteRetryAfter((context as { request?: Request }).request, outcome.retryAfterSeconds);
      // Through a gateway, the caller may read this identity back by its hash (a deferred fragment).
      if (context.references && outcome.kind === 'identity' && outcome.contentHash !== null) {
        await context.references.access.answered(context.references.caller, outcome.contentHash);
      }
      return toGraphQL(outcome, context.now);
    },
  }),
);

/**
 * The upload's bytes. `bytes()` hands over the parser's own buffer where the File has it (the
 * fetch ponyfill's); `arrayBuffer()` then `Uint8Array` would copy 200 KB per request for nothing.
 */
async function bytesOf(file: File): Promise<Uint8Array> {
  const withBytes = file as File & { bytes?: () => Promise<Uint8Array> };
  return typeof withBytes.bytes === 'function' ? withBytes.bytes() : new Uint8Array(await file.arrayBuffer());
}

/**
 * Normalised identities, by content hash and day, so that repeat requests for one image skip the
 * NIK decoding and fuzzy matching. An entry is used only when the answer it was made from has the
 * same values as the one at hand: a cache may hand back a fresh copy each time (a shared cache
 * does), and two providers may answer differently for the same bytes. The day is part of the
 * entry because "today" decides the century of a NIK's birth year.
 */
const normalised = new LRUCache<string, { day: string; fields: RawKtpFields; confidence: FieldConfidence | undefined; identity: KtpIdentityData }>({
  max: 1000,
});

function normaliseOnce(hash: string | null, fields: RawKtpFields, confidence: FieldConfidence | undefined, now: Date): KtpIdentityData {
  const day = now.toISOString().slice(0, 10);
  const kept = hash === null ? undefined : normalised.get(hash);
  if (kept && kept.day === day && sameValues(kept.fields, fields) && sameValues(kept.confidence, confidence)) return kept.identity;
  const identity = normaliseIdentity(fields, confidence, now);
  if (hash !== null) normalised.set(hash, { day, fields, confidence, identity });
  return identity;
}

/** Shallow equality of two flat records of strings or numbers (or both undefined). */
function sameValues(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}

export function toGraphQL(outcome: Outcome, now: Date): KtpIdentityModel | OcrErrorModel {
  if (outcome.kind === 'error') return outcome;
  return {
    ...normaliseOnce(outcome.contentHash, outcome.fields, outcome.confidence, now),
    fieldBoxes: fieldBoxesOf(outcome.boxes),
    portrait: outcome.boxes?.portrait ?? null,
    cached: outcome.cached,
    charged: outcome.charged,
    contentHash: outcome.contentHash,
  };
}

/** The outcome's boxes as a list, in the order the provider located them; the portrait apart. */
function fieldBoxesOf(boxes: FieldBoxes | undefined): FieldBoxData[] {
  const list: FieldBoxData[] = [];
  for (const [field, box] of Object.entries(boxes ?? {}) as [keyof FieldBoxes, FieldBoxData['box'] | undefined][]) {
    if (field !== 'portrait' && box) list.push({ field, box });
  }
  return list;
}
