import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { request } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { sumSeries } from '../support/metrics-text.ts';
import { describeRedis, rawClient, startOwnRedis, waitForLink, type OwnRedis } from '../support/redis.ts';
import { startReplica, type Replica } from '../support/shared-gateway.ts';
import { recognizeKtp } from './scenarios/target.ts';

/**
 * Redis going away and coming back, with a private redis-server that each test stops and starts.
 * Requests are always answered; only the sharing comes and goes (or, with CACHE_REQUIRED, the
 * paid calls stop).
 */
describeRedis('when Redis fails (own redis-server)', () => {
  const keys = parseKeyRing(randomBytes(32).toString('hex'));
  let redis: OwnRedis;
  let fake: FakeEkycpro;
  let replicas: Replica[] = [];
  let seed = 8300;

  const start = async (options: { failClosed?: boolean } = {}) => {
    const replica = await startReplica({ url: redis.url, prefix: 'ktp', keys, fake, ...options });
    replicas.push(replica);
    return replica;
  };
  const readyz = async (replica: Replica) => {
    const response = await request(`${replica.origin}/readyz`);
    return { status: response.status, body: response.json as unknown as Record<string, any> };
  };
  const sharingEvents = (replica: Replica) => replica.events.filter((e) => e.type === 'sharing');
  // A paid call made without the fleet's lease may be paid again by another replica: whatever the
  // reason, each is one warn audit line and one `ktp_unshared_paid_calls_total`.
  const unsharedLines = (replica: Replica) =>
    replica.gatewayLogs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === 'paid-call' && line.unshared === true);
  const unsharedMetric = async (replica: Replica) => {
    const response = await request(`${replica.origin}/metrics`);
    expect(response.status).toBe(200);
    return sumSeries(response.text, 'ktp_unshared_paid_calls_total');
  };

  beforeAll(async () => {
    redis = await startOwnRedis();
    fake = await startFakeEkycpro();
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    replicas = [];
    fake.latencyMs = 0;
    if (!redis.running) await redis.start();
  });
  afterAll(async () => {
    await redis.stop();
    await fake.close();
  });

  it('unreachable at start: the server starts, /readyz says so, requests are served with the local cache; sharing starts when Redis does', async () => {
    await redis.stop();
    const a = await start();
    await waitForLink(a.shared.link, false);
    expect(await readyz(a)).toMatchObject({ status: 200, body: { ready: true, redis: { ready: true, state: 'down', sharing: false } } });
    const bytes = await testJpeg(seed++);
    expect(await recognizeKtp(a, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(await recognizeKtp(a, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
    expect(a.logs).toEqual([expect.stringContaining('Redis is unreachable: sharing off')]);

    await redis.start();
    await waitForLink(a.shared.link, true);
    expect(await readyz(a)).toMatchObject({ status: 200, body: { redis: { state: 'up', sharing: true } } });
    expect(a.logs).toHaveLength(2);
    expect(a.logs[1]).toContain('sharing on');
  });

  it('lost mid-run: answers keep coming with per-process coalescing, one log line and one event say so, and sharing resumes by itself', async () => {
    const [a, b] = [await start(), await start()];
    await Promise.all([waitForLink(a.shared.link), waitForLink(b.shared.link)]);
    const before = a.logs.length;

    await redis.stop();
    await Promise.all([waitForLink(a.shared.link, false), waitForLink(b.shared.link, false)]);
    fake.latencyMs = 100;
    const bytes = await testJpeg(seed++);
    // Ten identical requests on one replica: coalesced in the process, one paid call.
    const answers = await Promise.all(Array.from({ length: 10 }, () => recognizeKtp(a, bytes)));
    expect(answers.every((x) => x.__typename === 'KtpIdentity')).toBe(true);
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
    // More requests while down do not log again: one line per transition, not per request.
    for (let i = 0; i < 5; i++) await recognizeKtp(a, await testJpeg(seed++));
    expect(a.logs.slice(before)).toEqual([expect.stringContaining('sharing off')]);
    expect(sharingEvents(a).slice(-1)).toEqual([{ type: 'sharing', on: false }]);

    await redis.start();
    await Promise.all([waitForLink(a.shared.link, true), waitForLink(b.shared.link, true)]);
    expect(a.logs.slice(before)).toEqual([expect.stringContaining('sharing off'), expect.stringContaining('sharing on')]);
    // Shared again: a new image paid on one replica is a cache hit on the other.
    const after = await testJpeg(seed++);
    await Promise.all([recognizeKtp(a, after), recognizeKtp(b, after)]);
    expect(await recognizeKtp(b, after)).toMatchObject({ cached: true });
    expect(fake.callsFor(contentHash(after))).toBe(1);
    fake.latencyMs = 0;
  });

  it('CACHE_REQUIRED (fail closed): while Redis is down a new image gets a free retryable error and no paid call; kept answers are still served', async () => {
    const a = await start({ failClosed: true });
    await waitForLink(a.shared.link);
    const kept = await testJpeg(seed++);
    await recognizeKtp(a, kept);

    await redis.stop();
    await waitForLink(a.shared.link, false);
    const bytes = await testJpeg(seed++);
    expect(await recognizeKtp(a, bytes)).toMatchObject({ __typename: 'OcrError', code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true, cached: false });
    expect(fake.callsFor(contentHash(bytes))).toBe(0);
    expect(await recognizeKtp(a, kept)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(await readyz(a)).toMatchObject({ status: 503, body: { ready: false, redis: { ready: false, sharing: false } } });
    expect(a.logs.at(-1)).toContain('paid calls refused, CACHE_REQUIRED');

    await redis.start();
    await waitForLink(a.shared.link, true);
    expect(await recognizeKtp(a, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
    expect((await readyz(a)).status).toBe(200);
  });

  it('Redis paused (CLIENT PAUSE) while a replica waits on another one\'s lease: its own paid call is one warn line and one metric', async () => {
    const [a, b] = [await start(), await start()];
    await Promise.all([a, b].map((replica) => waitForLink(replica.shared.link)));
    const bytes = await testJpeg(9701);
    const hash = contentHash(bytes);
    fake.latencyMs = 2_500;
    const admin = rawClient(redis.url);
    try {
      const first = recognizeKtp(a!, bytes);
      await expect.poll(() => fake.callsFor(hash), { timeout: 5_000, interval: 10 }).toBe(1);
      // B joins A's flight through the lease: it subscribes to the answer, fails to take the lease
      // and polls it. Then Redis stops answering for longer than a command may take (1 s).
      const second = recognizeKtp(b!, bytes);
      await expect.poll(async () => (await admin.call('PUBSUB', 'NUMSUB', ...(await admin.call('PUBSUB', 'CHANNELS', 'ktp:done:*') as string[])) as unknown[])[1], { timeout: 5_000, interval: 10 }).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
      expect(await first).toMatchObject({ __typename: 'KtpIdentity' });
      // B's own call may outlive its wait (Redis's stall is part of it): answered or told to retry.
      expect(['KtpIdentity', 'OcrError']).toContain((await second).__typename);
      await b!.waitForSettled(1);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => {});
      admin.disconnect();
    }
    // B could no longer see A's lease, so it paid too: the double payment is on record.
    expect(fake.callsFor(hash)).toBe(2);
    expect(unsharedLines(a!)).toHaveLength(0);
    // Written when the call settles, after its answer is kept (Redis may still be stalling then).
    await expect.poll(() => unsharedLines(b!), { timeout: 5_000 }).toEqual([expect.objectContaining({ level: 40, status: 'OK', unshared: true })]);
    expect(await unsharedMetric(b!)).toBe(1);
    expect(await unsharedMetric(a!)).toBe(0);
  });

  it('with Redis killed, every paid call is unshared and says so; a paid call with Redis up does not', async () => {
    const a = await start();
    await waitForLink(a.shared.link);
    expect(await recognizeKtp(a, await testJpeg(9702))).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(unsharedLines(a)).toHaveLength(0);

    await redis.stop();
    await waitForLink(a.shared.link, false);
    for (const seed of [9703, 9704]) expect(await recognizeKtp(a, await testJpeg(seed))).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(unsharedLines(a)).toHaveLength(2);
    expect(await unsharedMetric(a)).toBe(2);
    // Nothing read from the card or the image is in the line: ids, codes and 8 hex of a hash.
    expect(JSON.stringify(unsharedLines(a))).not.toMatch(/HELLO NAME|3171024302821001/);
  });
});
