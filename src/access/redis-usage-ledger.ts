import type { Redis } from 'ioredis';
import { countersOf, USAGE_COUNTERS, USAGE_RETENTION_DAYS, usageRows, utcDay, zeroCounts, type UsageCounter, type UsageCounts, type UsageLedger } from './usage.ts';

const DAY_MS = 86_400_000;

export interface RedisUsageLedgerOptions {
  /** The shared memory's command connection (`shared.link.client`): no connection of its own. */
  client: Redis;
  /** The gateway's key prefix (`REDIS_PREFIX`). */
  prefix: string;
  /** Days kept, today included; each day's key expires when it falls out. Default 35. */
  retentionDays?: number;
  /** One line when counting in Redis starts failing and one when it works again. Default: none. */
  log?: (line: string) => void;
  /** Injected by tests. Default: the clock. */
  now?: () => Date;
}

/**
 * Usage counted in Redis, so that `ktpUsage` sums every replica: one hash per UTC day,
 * `<prefix>:usage:<YYYY-MM-DD>`, fields `<client id>|<counter>`. Client ids are configured names,
 * not personal data; nothing else (no hash, no card value) is written.
 *
 * Counting is fire-and-forget: a request never waits for it, and while Redis is unreachable the
 * events are not counted at all (said once in the log), rather than slowing or failing requests.
 */
export function createRedisUsageLedger({ client: redis, prefix, retentionDays = USAGE_RETENTION_DAYS, log, now = () => new Date() }: RedisUsageLedgerOptions): UsageLedger {
  const keyOf = (day: string) => `${prefix}:usage:${day}`;
  let failing = false;
  const settled = (ok: boolean) => {
    if (ok === !failing) return;
    failing = !ok;
    log?.(
      ok
        ? 'ktp-gateway: usage counting in Redis works again'
        : // A timed-out write may still have been applied: "may be missing", not "are missing".
          'ktp-gateway: usage counting in Redis failed (unreachable or slow): recognitions may be missing from ktpUsage until it answers again',
    );
  };

  return {
    record(event) {
      const at = now();
      const day = utcDay(at);
      const key = keyOf(day);
      const pipeline = redis.pipeline();
      for (const counter of countersOf(event)) pipeline.hincrby(key, `${event.caller.id}|${counter}`, 1);
      // Gone when the day leaves the window: at the start of the day `retentionDays` days later.
      pipeline.expireat(key, Math.floor((Date.parse(day) + retentionDays * DAY_MS) / 1000));
      pipeline.exec().then(
        (results) => settled(results !== null && results.every(([error]) => error === null)),
        () => settled(false),
      );
    },
    async since(day, client) {
      const today = utcDay(now());
      const oldest = utcDay(new Date(Date.parse(today) - (retentionDays - 1) * DAY_MS));
      const days: string[] = [];
      // Only the days that can hold counts: from `day` (or the oldest kept) to today.
      const first = Date.parse(day < oldest ? oldest : day);
      for (let at = first; Number.isFinite(at) && utcDay(new Date(at)) <= today; at += DAY_MS) days.push(utcDay(new Date(at)));
      const totals = new Map<string, UsageCounts>();
      if (days.length > 0) {
        const pipeline = redis.pipeline();
        for (const counted of days) pipeline.hgetall(keyOf(counted));
        for (const [error, fields] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          for (const [field, value] of Object.entries(fields as Record<string, string>)) {
            // A client id may hold `|`; the counter is what follows the last one.
            const cut = field.lastIndexOf('|');
            const id = field.slice(0, cut);
            const counter = field.slice(cut + 1) as UsageCounter;
            if (cut < 0 || !USAGE_COUNTERS.includes(counter) || (client !== undefined && id !== client)) continue;
            const total = totals.get(id) ?? zeroCounts();
            total[counter] += Number.parseInt(value, 10) || 0;
            totals.set(id, total);
          }
        }
      }
      return usageRows(totals, day, client);
    },
  };
}
