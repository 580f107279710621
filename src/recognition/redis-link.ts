import { Redis, type RedisOptions } from 'ioredis';

/**
 * The gateway's connections to Redis and whether sharing through it is on.
 *
 * Redis is a shared memory here, never a dependency a request waits on: commands fail at once
 * while the connection is down (no offline queue), are bounded by `commandTimeout` while it is
 * up, and ioredis reconnects by itself in the background. Callers fall back to what the process
 * has on its own (the memory cache, per-process coalescing) and sharing resumes when Redis is back.
 */
export interface RedisLink {
  /** Commands (cache, leases, publishing). */
  readonly client: Redis;
  /** Subscriptions only: a subscribed ioredis connection cannot send other commands. */
  readonly subscriber: Redis;
  /** Namespace of every key this gateway writes, e.g. `ktp`. */
  readonly prefix: string;
  /** True while both connections are ready, so a cache, a lease and a hand-over can all be shared. */
  readonly up: boolean;
  readonly state: RedisLinkState;
  /** Called on every transition of `up` (not on every failed command). Returns an unsubscribe function. */
  onChange(listener: (up: boolean) => void): () => void;
  close(): Promise<void>;
}

export type RedisLinkState = 'connecting' | 'up' | 'down';

export interface RedisLinkOptions {
  url: string;
  /** Default `ktp`. */
  prefix?: string;
  /** Bound on one command, in milliseconds, so a wedged Redis slows no request for long. Default 1000. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts, in milliseconds. Default 1000. */
  maxReconnectDelayMs?: number;
}

/** Options for any other ioredis connection that should behave like the link's (BullMQ makes its own). */
export function redisOptions({ commandTimeoutMs = 1000, maxReconnectDelayMs = 1000 }: Omit<RedisLinkOptions, 'url' | 'prefix'> = {}): RedisOptions {
  return {
    // A command sent while disconnected fails at once rather than waiting for a reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxReconnectDelayMs),
  };
}

export function createRedisLink({ url, prefix = 'ktp', ...options }: RedisLinkOptions): RedisLink {
  const shared = redisOptions(options);
  const client = new Redis(url, { ...shared, connectionName: `${prefix}:gateway` });
  const subscriber = new Redis(url, { ...shared, commandTimeout: undefined, autoResubscribe: true, connectionName: `${prefix}:gateway:sub` });
  const listeners = new Set<(up: boolean) => void>();
  let state: RedisLinkState = 'connecting';
  let closed = false;

  /** `failed`: the event was a failure, so a link still connecting is now known to be down. */
  const update = (failed: boolean) => {
    if (closed) return;
    const up = client.status === 'ready' && subscriber.status === 'ready';
    const next: RedisLinkState = up ? 'up' : failed || state !== 'connecting' ? 'down' : 'connecting';
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener(up);
  };
  for (const connection of [client, subscriber]) {
    connection.on('ready', () => update(false));
    connection.on('close', () => update(true));
    connection.on('end', () => update(true));
    // Without a listener ioredis would print every failed reconnection; `up` and onChange say it once.
    connection.on('error', () => update(true));
  }

  return {
    client,
    subscriber,
    prefix,
    get up() {
      return state === 'up';
    },
    get state() {
      return state;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      await Promise.allSettled([client.quit(), subscriber.quit()]);
      client.disconnect();
      subscriber.disconnect();
    },
  };
}
