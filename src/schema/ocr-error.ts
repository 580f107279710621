import type { ErrorOutcome } from '../outcome.ts';
import { builder } from './builder.ts';
import { OcrErrorCodeEnum } from './enums.ts';

export type OcrErrorModel = ErrorOutcome & { cached: boolean; contentHash: string | null };

export const OcrError = builder.objectRef<OcrErrorModel>('OcrError').implement({
  description: 'A recognition that did not produce an identity, as data rather than a GraphQL error.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && (value as { kind?: string }).kind === 'error',
  fields: (t) => ({
    code: t.expose('code', { type: OcrErrorCodeEnum }),
    message: t.exposeString('message', { description: 'For people, not for matching: use `code`.' }),
    charged: t.exposeBoolean('charged', { description: 'True when the paid API charged for this answer (FAIL, or an OK it sent without usable data).' }),
    retryable: t.exposeBoolean('retryable', { description: 'True when sending the same image again later may succeed.' }),
    retryAfterSeconds: t.int({
      nullable: true,
      description: 'For RATE_LIMITED and QUOTA_EXCEEDED: seconds until the same request is allowed again (also sent as `Retry-After`).',
      resolve: (error) => error.retryAfterSeconds ?? null,
    }),
    cached: t.exposeBoolean('cached', { description: 'True when this answer came from the cache or a request already in flight (cost nothing).' }),
    contentHash: t.exposeString('contentHash', { nullable: true, description: 'SHA-256 (hex) of the image bytes; null when there were none.' }),
  }),
});
