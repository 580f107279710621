import { Redis } from 'ioredis';

/**
 * Removes every key under `prefix:` from the Redis at `url` and says how many, for the scripts
 * that borrow a shared Redis (bench, bench:cluster, cluster). SCAN in pages, not KEYS: a Redis
 * other work is using is never blocked for the whole keyspace.
 */
export async function removeKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}
