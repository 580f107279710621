import { randomUUID } from 'node:crypto';
import { CoalesceTimeoutError, createCoalescer, SharingUnavailableError, type Coalescer, type FlightRun } from './coalesce.ts';
import type { KeyRing } from './key-ring.ts';
import type { RedisLink } from './redis-link.ts';

/** What the lease coalescer reports, for logs and metrics; never a key or a value. */
export type LeaseCoalescerEvent =
  | { type: 'lease-acquired'; takeover: boolean }
  | { type: 'lease-joined' }
  | { type: 'lease-wait-timeout' }
  | { type: 'lease-unshared'; failClosed: boolean };

export interface LeaseCoalescerOptions<T> {
  link: Pick<RedisLink, 'client' | 'subscriber' | 'prefix' | 'up'>;
  keys: KeyRing;
  /**
   * How long a lease lives without renewal, in milliseconds. Default 10000. The holder renews it
   * every third of that while it works, so only a holder that died (or lost Redis) lets it expire,
   * and then another replica takes over after at most this long.
   */
  leaseMs?: number;
  /** Longest a waiter waits for another replica's answer, in milliseconds, before a retryable error. Default 60000. */
  waitMs?: number;
  /** How often a waiter checks that the lease it waits on is still alive, in milliseconds. Default 200. */
  pollMs?: number;
  /**
   * When Redis is unreachable: false (default) runs the work unshared, coalesced in this process
   * only; true refuses with `SharingUnavailableError` (for work that costs money).
   */
  failClosed?: boolean;
  /** How a result travels to waiters on other replicas. Default JSON. */
  codec?: { encode(value: T): string; decode(text: string): T };
  onEvent?: (event: LeaseCoalescerEvent) => void;
}

/** How long a waiter that saw the lease go listens for the holder's answer before taking over. */
const LATE_ANSWER_MS = 25;

// Renew only our own lease: after it expired another replica may hold the key.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
// Releasing and announcing in one step: a waiter that failed to take the lease is already
// subscribed (it subscribes first), so it cannot miss the answer; one that comes after finds the
// lease free and, at its double-check, the answer in the cache.
const RELEASE_AND_PUBLISH = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end return redis.call('publish', ARGV[2], ARGV[3])`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Coalescing across replicas. Callers in one process share one flight (the per-process
 * coalescer); that flight then takes a lease in Redis (`SET NX PX`) or waits for the replica that
 * holds it, which hands its result on by pub/sub, sealed like the cache's values. A waiter never
 * runs the work while the lease is alive; it gives up after `waitMs` (`CoalesceTimeoutError`), and
 * takes over when the lease expires (its holder died).
 */
export function createLeaseCoalescer<T>(options: LeaseCoalescerOptions<T>): Coalescer<T> {
  const { link, keys } = options;
  const leaseMs = options.leaseMs ?? 10_000;
  const waitMs = options.waitMs ?? 60_000;
  const pollMs = options.pollMs ?? 200;
  const codec = options.codec ?? { encode: (value: T) => JSON.stringify(value), decode: (text: string) => JSON.parse(text) as T };
  const emit = options.onEvent ?? (() => {});
  const local = createCoalescer<{ value: T; joined: boolean }>();
  const hub = createSubscriptionHub(link.subscriber);

  async function unshared(work: (signal: AbortSignal, run?: FlightRun) => Promise<T>, signal: AbortSignal) {
    emit({ type: 'lease-unshared', failClosed: options.failClosed ?? false });
    if (options.failClosed) throw new SharingUnavailableError('the shared cache is unreachable, and CACHE_REQUIRED forbids unshared paid calls');
    return { value: await work(signal, { unshared: true }), joined: false };
  }

  async function lead(work: (signal: AbortSignal, run?: FlightRun) => Promise<T>, signal: AbortSignal, leaseKey: string, channel: string, token: string): Promise<T> {
    const renewal = setInterval(() => {
      link.client.eval(RENEW, 1, leaseKey, token, leaseMs).catch(() => {});
    }, Math.max(10, Math.floor(leaseMs / 3)));
    let value: T;
    try {
      value = await work(signal);
    } catch (error) {
      await link.client.eval(RELEASE, 1, leaseKey, token).catch(() => {});
      throw error;
    } finally {
      // Stopped on every path: a renewal after the work ends would keep a lease nobody holds.
      clearInterval(renewal);
    }
    const message = keys.seal(Buffer.from(codec.encode(value)), channel);
    // If Redis is gone now, the waiters find the lease expired and the answer (if kept) in the cache.
    await link.client.eval(RELEASE_AND_PUBLISH, 1, leaseKey, token, channel, message).catch(() => {});
    return value;
  }

  async function shared(key: string, work: (signal: AbortSignal, run?: FlightRun) => Promise<T>, signal: AbortSignal): Promise<{ value: T; joined: boolean }> {
    if (!link.up) return unshared(work, signal);
    const name = keys.name(key);
    const leaseKey = `${link.prefix}:lease:${name}`;
    const channel = `${link.prefix}:done:${name}`;
    const inbox = createInbox<T>();
    let stopListening: () => void;
    try {
      stopListening = await hub.listen(channel, (message) => {
        const plain = keys.open(message, channel);
        if (plain === null) return; // not ours, or tampered with: keep waiting for a real answer
        try {
          inbox.deliver(codec.decode(plain.toString('utf8')));
        } catch {
          // An answer we cannot parse is no answer; the lease poll decides what happens next.
        }
      });
    } catch {
      return unshared(work, signal);
    }
    try {
      const deadline = Date.now() + waitMs;
      let waited = false;
      for (;;) {
        const token = randomUUID();
        let acquired: boolean;
        try {
          acquired = (await link.client.set(leaseKey, token, 'PX', leaseMs, 'NX')) === 'OK';
        } catch {
          return await unshared(work, signal);
        }
        if (acquired) {
          emit({ type: 'lease-acquired', takeover: waited });
          return { value: await lead(work, signal, leaseKey, channel, token), joined: false };
        }
        waited = true;
        const next = await waitForHolder(inbox, leaseKey, deadline, signal);
        if (next.kind === 'answer') {
          emit({ type: 'lease-joined' });
          return { value: next.value, joined: true };
        }
        if (next.kind === 'timeout') {
          emit({ type: 'lease-wait-timeout' });
          throw new CoalesceTimeoutError(`an identical request held elsewhere did not finish within ${waitMs} ms`);
        }
        if (next.kind === 'aborted') throw new CoalesceTimeoutError('every caller gave up while an identical request ran elsewhere');
        if (next.kind === 'unreachable') return await unshared(work, signal);
        // 'free': the holder finished without a word reaching us, or died; try to take the lease.
      }
    } finally {
      stopListening();
    }
  }

  type Next = { kind: 'answer'; value: T } | { kind: 'free' } | { kind: 'timeout' } | { kind: 'aborted' } | { kind: 'unreachable' };

  async function waitForHolder(inbox: Inbox<T>, leaseKey: string, deadline: number, signal: AbortSignal): Promise<Next> {
    for (;;) {
      if (signal.aborted) return { kind: 'aborted' };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      const answer = await inbox.within(Math.min(pollMs, left), signal);
      if (answer !== undefined) return { kind: 'answer', value: answer.value };
      let gone: boolean;
      try {
        gone = (await link.client.exists(leaseKey)) === 0;
      } catch {
        return { kind: 'unreachable' };
      }
      if (gone) {
        // A holder that finished released and published in one step, so its answer is already in
        // this process's subscriber socket; but the reply on the command connection can be read
        // first. Let the event loop read the sockets (twice: a timer may fire before the poll
        // phase) before deciding the holder died: an answer beats a takeover.
        for (let turn = 0; turn < 2 && inbox.take() === undefined; turn++) {
          await new Promise((resolve) => setImmediate(resolve));
          await inbox.within(LATE_ANSWER_MS, signal);
        }
        const late = inbox.take();
        return late === undefined ? { kind: 'free' } : { kind: 'answer', value: late.value };
      }
    }
  }

  return {
    get size() {
      return local.size;
    },
    async run(key, work, callerSignal) {
      const { value, joined } = await local.run(key, (signal) => shared(key, work, signal), callerSignal);
      return { value: value.value, joined: joined || value.joined };
    },
  };
}

interface Inbox<T> {
  deliver(value: T): void;
  /** The delivered value, if any yet. */
  take(): { value: T } | undefined;
  /** Waits up to `ms` for a value; undefined when none came (or the signal aborted). */
  within(ms: number, signal: AbortSignal): Promise<{ value: T } | undefined>;
}

function createInbox<T>(): Inbox<T> {
  let received: { value: T } | undefined;
  let wake: (() => void) | undefined;
  return {
    deliver(value) {
      received ??= { value };
      wake?.();
    },
    take: () => received,
    within(ms, signal) {
      if (received !== undefined) return Promise.resolve(received);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          resolve(received);
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
  };
}

/** One subscriber connection for every channel this process waits on. */
function createSubscriptionHub(subscriber: RedisLink['subscriber']) {
  const channels = new Map<string, { listeners: Set<(message: Buffer) => void>; ready: Promise<unknown> }>();
  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    for (const listener of channels.get(channel.toString())?.listeners ?? []) listener(message);
  });
  return {
    /** Resolves once Redis confirmed the subscription, with the function that ends it. */
    async listen(channel: string, listener: (message: Buffer) => void): Promise<() => void> {
      let entry = channels.get(channel);
      if (entry === undefined) {
        const created = { listeners: new Set<(message: Buffer) => void>(), ready: subscriber.subscribe(channel) };
        channels.set(channel, created);
        entry = created;
      }
      entry.listeners.add(listener);
      const current = entry;
      const stop = () => {
        current.listeners.delete(listener);
        if (current.listeners.size === 0 && channels.get(channel) === current) {
          channels.delete(channel);
          subscriber.unsubscribe(channel).catch(() => {});
        }
      };
      try {
        await current.ready;
      } catch (error) {
        stop();
        throw error;
      }
      return stop;
    },
  };
}
