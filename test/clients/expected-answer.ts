import type { CardAnswer } from '../../examples/card-answer.ts';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';

/** The answer both client recipes must give for a first upload of `bytes` of the contract's sample card. */
export const firstSampleAnswer = (bytes: Uint8Array): CardAnswer => ({
  __typename: 'KtpIdentity',
  nik: SAMPLE_IDENTITY.id,
  name: 'HELLO NAME',
  birthDate: '1982-02-03',
  cached: false,
  charged: true,
  contentHash: contentHash(bytes),
});
