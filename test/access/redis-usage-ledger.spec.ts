import { once } from 'node:events';
import { expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createRedisUsageLedger } from '../../src/access/redis-usage-ledger.ts';
import { ocrError, type Outcome } from '../../src/outcome.ts';
import { redisOptions } from '../../src/recognition/redis-link.ts';
import type { OutcomeSource, RecognitionEvent } from '../../src/recognition/recognizer.ts';
import { describeRedis, keysUnder, rawClient, replicaConnections, startOwnRedis, uniquePrefix } from '../support/redis.ts';

const DAY_MS = 86_400_000;
const identity = { kind: 'identity', fields: {}, charged: true, cached: false, contentHash: null } as unknown as Outcome;
const limited = { ...ocrError('QUOTA_EXCEEDED', 'spent'), cached: false, contentHash: null } satisfies Outcome;
const event = (client: string, source: OutcomeSource, paid = false, outcome: Outcome = identity): RecognitionEvent => ({ caller: { id: client }, source, outcome, paid, durationMs: 1 });
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Redis usage ledger against the real Redis: one hash per UTC day, summed by whichever replica reads. */
describeRedis('usage in Redis', () => {
  const prefix = uniquePrefix('usage');
  const clients = replicaConnections(2, prefix);

  it('sums two replicas per client and day, filters by the first day, and lets each day key expire after the retention', async () => {
    // Noon today, UTC; the clock is moved back two days and forward again.
    const noon = Date.parse(dayOf(Date.now())) + DAY_MS / 2;
    let clock = noon - 2 * DAY_MS;
    const now = () => new Date(clock);
    const [a, b] = clients.map((client) => createRedisUsageLedger({ client, prefix, now, retentionDays: 35 }));
    const settle = () => clients[0]!.ping().then(() => clients[1]!.ping()); // writes are fire-and-forget; a later command on each connection follows them

    a!.record(event('app', 'provider', true));
    b!.record(event('kiosk', 'refused', false, limited));
    clock = noon;
    a!.record(event('app', 'cache'));
    b!.record(event('app', 'coalesced'));
    b!.record(event('app', 'provider', true));
    await settle();

    const today = dayOf(noon);
    const twoDaysAgo = dayOf(noon - 2 * DAY_MS);
    expect(await a!.since(today)).toEqual([{ client: 'app', since: today, recognitions: 3, paidCalls: 1, cacheHits: 1, coalesced: 1, paidCallsAvoided: 2, limited: 0 }]);
    expect(await b!.since(twoDaysAgo)).toEqual([
      { client: 'app', since: twoDaysAgo, recognitions: 4, paidCalls: 2, cacheHits: 1, coalesced: 1, paidCallsAvoided: 2, limited: 0 },
      { client: 'kiosk', since: twoDaysAgo, recognitions: 1, paidCalls: 0, cacheHits: 0, coalesced: 0, paidCallsAvoided: 0, limited: 1 },
    ]);
    // One client only, and a client with nothing counted gets a zero line.
    expect((await a!.since(twoDaysAgo, 'kiosk')).map((row) => [row.client, row.recognitions, row.limited])).toEqual([['kiosk', 1, 1]]);
    expect(await b!.since(today, 'kiosk')).toEqual([{ client: 'kiosk', since: today, recognitions: 0, paidCalls: 0, cacheHits: 0, coalesced: 0, paidCallsAvoided: 0, limited: 0 }]);
    expect(await a!.since(dayOf(noon + DAY_MS))).toEqual([]);

    // What is stored: a hash per day named by the day, fields `<client>|<counter>`, gone 35 days after the day began.
    const raw = rawClient();
    try {
      expect((await keysUnder(raw, prefix)).sort()).toEqual([`${prefix}:usage:${twoDaysAgo}`, `${prefix}:usage:${today}`]);
      expect(await raw.hgetall(`${prefix}:usage:${today}`)).toEqual({ 'app|recognitions': '3', 'app|paidCalls': '1', 'app|cacheHits': '1', 'app|coalesced': '1' });
      for (const day of [today, twoDaysAgo]) {
        expect(await raw.call('EXPIRETIME', `${prefix}:usage:${day}`)).toBe((Date.parse(day) + 35 * DAY_MS) / 1000);
      }
    } finally {
      raw.disconnect();
    }

    // Past the retention, a day no longer counts even while its key lives on.
    const short = createRedisUsageLedger({ client: clients[0]!, prefix, now, retentionDays: 2 });
    expect((await short.since(twoDaysAgo, 'app'))[0]).toMatchObject({ recognitions: 3, paidCalls: 1 });
  });

  it('never throws when Redis is unreachable: the event is not counted, one line says so, one line when it works again', async () => {
    const own = await startOwnRedis();
    const lines: string[] = [];
    const client = new Redis(own.url, redisOptions());
    client.on('error', () => {});
    try {
      await once(client, 'ready');
      const ledger = createRedisUsageLedger({ client, prefix, log: (line) => lines.push(line) });
      const today = dayOf(Date.now());
      ledger.record(event('app', 'provider', true));
      await expect.poll(() => ledger.since(today)).toMatchObject([{ client: 'app', recognitions: 1, paidCalls: 1 }]);

      await own.stop();
      await expect.poll(() => client.status).not.toBe('ready');
      // No offline queue: these writes fail at once, and only the first failure is logged.
      expect(() => ledger.record(event('app', 'cache'))).not.toThrow();
      ledger.record(event('app', 'cache'));
      await expect.poll(() => lines).toEqual([expect.stringContaining('may be missing from ktpUsage')]);
      await expect(ledger.since(today)).rejects.toThrow();

      await own.start();
      await expect.poll(() => client.status, { timeout: 10_000 }).toBe('ready');
      ledger.record(event('app', 'coalesced'));
      await expect.poll(() => lines).toHaveLength(2);
      expect(lines[1]).toContain('works again');
      // The restarted server starts empty (no persistence): only the write made since it came back is there.
      expect(await ledger.since(today)).toMatchObject([{ client: 'app', recognitions: 1, paidCalls: 0, cacheHits: 0, coalesced: 1 }]);
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
