import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CoalesceTimeoutError, SharingUnavailableError } from '../../src/recognition/coalesce.ts';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { createLeaseCoalescer, type LeaseCoalescerEvent, type LeaseCoalescerOptions } from '../../src/recognition/lease-coalescer.ts';
import { createRedisLink, type RedisLink } from '../../src/recognition/redis-link.ts';
import { deferred } from '../support/scripted-provider.ts';
import { cleanup, describeRedis, keysUnder, rawClient, REDIS_TEST_URL, uniquePrefix, waitForLink } from '../support/redis.ts';

/** Two replicas: each has its own connections and its own coalescer, as two processes would. */
describeRedis('the lease coalescer across replicas (machine Redis, own prefix)', () => {
  const prefix = uniquePrefix('lease');
  const keys = parseKeyRing(randomBytes(32).toString('hex'));
  const links: RedisLink[] = [];
  const raw = rawClient();

  async function replica(options: Partial<LeaseCoalescerOptions<string>> = {}) {
    const link = createRedisLink({ url: REDIS_TEST_URL, prefix });
    links.push(link);
    await waitForLink(link);
    const events: LeaseCoalescerEvent[] = [];
    const coalescer = createLeaseCoalescer<string>({ link, keys, leaseMs: 1_000, pollMs: 20, onEvent: (e) => events.push(e), ...options });
    return { coalescer, events, link };
  }

  beforeAll(async () => {
    await raw.ping();
  });
  afterAll(async () => {
    await Promise.all(links.map((link) => link.close()));
    await cleanup(prefix);
    raw.disconnect();
  });

  it('runs the work once for 50 identical calls split across two replicas; the others get its answer', async () => {
    const [a, b] = [await replica({ leaseMs: 5_000 }), await replica({ leaseMs: 5_000 })];
    const gate = deferred<string>();
    let runs = 0;
    const work = async () => {
      runs++;
      return gate.promise;
    };
    const calls = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).coalescer.run('k1', work));
    await expect.poll(() => runs).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    gate.resolve('the answer');
    const results = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(results.every((r) => r.value === 'the answer')).toBe(true);
    expect(results.filter((r) => !r.joined)).toHaveLength(1);
    expect([...a.events, ...b.events].filter((e) => e.type === 'lease-joined')).toHaveLength(1);
  });

  it('hands on an answer that nobody caches (an error), so waiters do not pay for it again', async () => {
    const [a, b] = [await replica(), await replica()];
    const gate = deferred<string>();
    let runs = 0;
    const work = async () => {
      runs++;
      return gate.promise;
    };
    const first = a.coalescer.run('k2', work);
    await expect.poll(() => runs).toBe(1);
    const second = b.coalescer.run('k2', work);
    await new Promise((resolve) => setTimeout(resolve, 60));
    gate.resolve('UPSTREAM_UNAVAILABLE after a timeout');
    expect(await second).toEqual({ value: 'UPSTREAM_UNAVAILABLE after a timeout', joined: true });
    expect((await first).joined).toBe(false);
    expect(runs).toBe(1);
  });

  it('never runs the work while the lease is alive: the waiter gives up after its bound with a retryable error', async () => {
    const a = await replica();
    const b = await replica({ waitMs: 300 });
    const gate = deferred<string>();
    let runs = 0;
    const held = a.coalescer.run('k3', async () => {
      runs++;
      return gate.promise;
    });
    await expect.poll(() => runs).toBe(1);
    // Longer than the lease (1 s): the holder renews it, so the waiter must not take over.
    const waiting = b.coalescer.run('k3', async () => {
      runs++;
      return 'paid in parallel';
    });
    await expect(waiting).rejects.toBeInstanceOf(CoalesceTimeoutError);
    expect(b.events).toEqual([{ type: 'lease-wait-timeout' }]);
    const c = await replica({ waitMs: 1_500 });
    const late = c.coalescer.run('k3', async () => {
      runs++;
      return 'paid in parallel';
    });
    await expect(late).rejects.toBeInstanceOf(CoalesceTimeoutError);
    expect(runs).toBe(1);
    gate.resolve('done');
    await held;
  });

  it('takes over when the leaseholder died: its lease expires and one waiter runs the work', async () => {
    const [b, c] = [await replica(), await replica()];
    // What a replica that was killed mid-call leaves behind: a lease nobody renews.
    const leaseKey = `${prefix}:lease:${keys.name('k4')}`;
    expect(await raw.set(leaseKey, 'a-dead-replica', 'PX', 300, 'NX')).toBe('OK');
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'recognised after the takeover';
    };
    const results = await Promise.all([b.coalescer.run('k4', work), c.coalescer.run('k4', work)]);
    expect(runs).toBe(1);
    expect(results.map((r) => r.value)).toEqual(['recognised after the takeover', 'recognised after the takeover']);
    expect([...b.events, ...c.events].filter((e) => e.type === 'lease-acquired')).toEqual([{ type: 'lease-acquired', takeover: true }]);
  });

  it('leaves no lease behind, and neither lease nor channel names reveal the key', async () => {
    const a = await replica();
    await a.coalescer.run('ekycpro:feedface', async () => 'x');
    const left = await keysUnder(raw, `${prefix}:lease:`);
    expect(left.filter((k) => !k.endsWith(keys.name('k3')))).toEqual([]);
    expect(left.join()).not.toContain('feedface');
  });

  it('without Redis runs the work unshared, or refuses with failClosed', async () => {
    const link = createRedisLink({ url: 'redis://127.0.0.1:1', prefix });
    links.push(link);
    const events: LeaseCoalescerEvent[] = [];
    const open = createLeaseCoalescer<string>({ link, keys, onEvent: (e) => events.push(e) });
    expect(await open.run('k5', async () => 'local answer')).toEqual({ value: 'local answer', joined: false });
    const closed = createLeaseCoalescer<string>({ link, keys, failClosed: true });
    let runs = 0;
    await expect(
      closed.run('k5', async () => {
        runs++;
        return 'paid without sharing';
      }),
    ).rejects.toBeInstanceOf(SharingUnavailableError);
    expect(runs).toBe(0);
    expect(events).toEqual([{ type: 'lease-unshared', failClosed: false }]);
  });
});
