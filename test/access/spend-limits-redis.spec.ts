import { expect, it } from 'vitest';
import { createSpendLimits } from '../../src/access/spend-limits.ts';
import { describeRedis, keysUnder, rawClient, replicaConnections, uniquePrefix } from '../support/redis.ts';

/** Two replicas' limits over one real Redis: a client's budget is one budget, wherever it calls. */
describeRedis('spend limits in Redis', () => {
  const prefix = uniquePrefix('limits');
  const clients = replicaConnections(2, prefix);

  it('a paid call spent on one replica is spent on the other; a request counted on one counts on the other', async () => {
    const [a, b] = clients.map((client) => createSpendLimits({ redis: { client, prefix } }));
    const caller = { id: 'two-replicas', paidCallsPerDay: 1, requestsPerMinute: 1 };
    const ticket = await a!.reservePaidCall(caller);
    expect('settle' in ticket).toBe(true);
    if ('settle' in ticket) await ticket.settle(true);
    expect(await b!.reservePaidCall(caller)).toMatchObject({ code: 'QUOTA_EXCEEDED' });

    expect(await a!.admit(caller)).toBeUndefined();
    expect(await b!.admit(caller)).toMatchObject({ code: 'RATE_LIMITED' });

    // The counters are under the gateway's prefix, named by client id and day: no hash, no image.
    const raw = rawClient();
    try {
      const keys = await keysUnder(raw, prefix);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith(`${prefix}:limit:`) && key.includes('two-replicas'))).toBe(true);
    } finally {
      raw.disconnect();
    }
  });
});
