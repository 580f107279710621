import { builder } from './builder.ts';
import { KtpIdentity, type KtpIdentityModel } from './ktp-identity.ts';
import { toGraphQL } from './recognize-ktp.ts';

/**
 * `KtpIdentity @key(fields: "contentHash")`: a gateway can fetch more fields of an identity it
 * was answered (how Hive Gateway and Apollo Router deliver a deferred fragment), and another
 * subgraph can reference a recognition. A reference resolves only from the kept outcome, only
 * for a caller that `references` says may read it, and otherwise to null: no recognition is
 * started, nothing is charged, and "not yours" looks like "not kept".
 */
builder.asEntity(KtpIdentity, {
  key: builder.selection<{ contentHash: string }>('contentHash'),
  resolveReference: async ({ contentHash }, context) => {
    const { references } = context;
    if (!references || typeof contentHash !== 'string') return null;
    if (!(await references.access.mayRead(references.caller, contentHash))) return null;
    const outcome = await context.recognizer.peek(contentHash, context.client);
    if (outcome?.kind !== 'identity') return null;
    return toGraphQL(outcome, context.now) as KtpIdentityModel;
  },
});
