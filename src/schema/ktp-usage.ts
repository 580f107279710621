import { GraphQLError } from 'graphql';
import type { ClientUsage } from '../access/usage.ts';
import { builder } from './builder.ts';

const KtpClientUsage = builder.objectRef<ClientUsage>('KtpClientUsage').implement({
  description: 'What one client recognised, paid for, and was spared by the cache, since a UTC day (across replicas with `REDIS_URL`; otherwise by this gateway process).',
  fields: (t) => ({
    client: t.exposeString('client', { description: 'The client id from the key file (`anonymous` on an open server).' }),
    since: t.expose('since', { type: 'Date', description: 'The first UTC day counted.' }),
    recognitions: t.exposeInt('recognitions', { description: 'Every `recognizeKtp` and REST recognition answered, refusals included.' }),
    paidCalls: t.exposeInt('paidCalls', { description: 'Calls that reached the paid API and were charged.' }),
    cacheHits: t.exposeInt('cacheHits', { description: 'Answers from the cache: free.' }),
    coalesced: t.exposeInt('coalesced', { description: 'Answers shared with an identical request already in flight: free.' }),
    paidCallsAvoided: t.exposeInt('paidCallsAvoided', { description: '`cacheHits + coalesced`: what each would have cost without the cache.' }),
    limited: t.exposeInt('limited', { description: 'Recognitions refused by a limit (RATE_LIMITED, QUOTA_EXCEEDED).' }),
  }),
});

builder.queryField('ktpUsage', (t) =>
  t.field({
    type: [KtpClientUsage],
    description: 'Usage of the calling client since `since` (default: today, UTC); an admin key sees every client.',
    args: { since: t.arg({ type: 'Date', required: false }) },
    resolve: (_root, { since }, { usage, client }) => {
      if (!usage || !client) return [];
      const day = since ?? new Date().toISOString().slice(0, 10);
      // The fleet's figures live in Redis: while it is unreachable, an error says so rather than a
      // figure that looks complete and is not.
      return usage.since(day, client.admin ? undefined : client.id).catch(() => {
        throw new GraphQLError('Usage cannot be read right now: the shared store is unreachable. Retry later.', {
          extensions: { code: 'USAGE_UNAVAILABLE', retryable: true },
        });
      });
    },
  }),
);
