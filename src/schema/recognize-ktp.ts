import { normaliseIdentity } from '../ktp/normalise.ts';
import { contentHash } from '../recognition/content-hash.ts';
import type { KtpIdentityData } from '../ktp/identity.ts';
import type { FieldConfidence, Outcome, RawKtpFields } from '../recognition/outcome.ts';
import { builder } from './builder.ts';
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
      const bytes = new Uint8Array(await image.arrayBuffer());
      const outcome = await context.recognitions.load({ bytes, contentHash: contentHash(bytes) });
      return toGraphQL(outcome, context.now);
    },
  }),
);

/**
 * Normalised identities, per provider answer and day. A cache hit hands back the same `fields`
 * object each time, so repeat requests skip the NIK decoding and fuzzy matching; the day is part
 * of the key because "today" decides the century of a NIK's birth year.
 */
const normalised = new WeakMap<RawKtpFields, { day: string; identity: KtpIdentityData }>();

function normaliseOnce(fields: RawKtpFields, confidence: FieldConfidence | undefined, now: Date): KtpIdentityData {
  const day = now.toISOString().slice(0, 10);
  const kept = normalised.get(fields);
  if (kept?.day === day) return kept.identity;
  const identity = normaliseIdentity(fields, confidence, now);
  normalised.set(fields, { day, identity });
  return identity;
}

function toGraphQL(outcome: Outcome, now: Date): KtpIdentityModel | OcrErrorModel {
  if (outcome.kind === 'error') return outcome;
  return {
    ...normaliseOnce(outcome.fields, outcome.confidence, now),
    cached: outcome.cached,
    contentHash: outcome.contentHash,
  };
}
