import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { ocrError, type ErrorOutcome } from '../outcome.ts';
import type { Caller, SpendGate } from '../recognition/recognizer.ts';

export interface SpendLimitsOptions {
  /** Shares counters between replicas (the shared memory's connection); default: this process's memory. */
  redis?: { client: Redis; prefix: string } | undefined;
  /** `RATE_LIMIT_PER_MINUTE`: for a client whose entry sets none. Undefined: no limit. */
  defaultRequestsPerMinute?: number | undefined;
  /** `PAID_CALLS_PER_DAY`: for a client whose entry sets none. Undefined: no budget. */
  defaultPaidCallsPerDay?: number | undefined;
  /** Limit refusals, for metrics. */
  onRefusal?: (caller: Caller, code: 'RATE_LIMITED' | 'QUOTA_EXCEEDED') => void;
  /** Injected by tests. Default `Date.now`. */
  now?: () => number;
}

// Each limiter counts without bound; the client's own limit is compared with the count, so one
// limiter serves clients with different limits (and a reloaded key file changes them at once).
const UNBOUNDED = 1_000_000_000;
const DAY_MS = 86_400_000;

/**
 * A client's requests per minute and its paid calls per UTC day, counted by `rate-limiter-flexible`:
 * in Redis when it is there (so limits hold across replicas), in memory otherwise, and in memory
 * while Redis is unreachable (its insurance limiter) rather than refusing or failing requests.
 */
export function createSpendLimits({ redis, defaultRequestsPerMinute, defaultPaidCallsPerDay, onRefusal, now = Date.now }: SpendLimitsOptions = {}): SpendGate {
  const limiter = (name: string, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points: UNBOUNDED, duration, keyPrefix: name });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.prefix}:limit:${name}`,
      points: UNBOUNDED,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const perMinute = limiter('rpm', 60);
  // Keyed by the UTC day, so every client's budget starts again at 00:00 UTC; kept two days.
  const perDay = limiter('paid', 2 * 86_400);
  const dayKey = (caller: Caller) => `${caller.id}:${new Date(now()).toISOString().slice(0, 10)}`;
  const secondsToMidnight = () => Math.max(1, Math.ceil((DAY_MS - (now() % DAY_MS)) / 1000));

  return {
    async admit(caller) {
      const limit = caller.requestsPerMinute ?? defaultRequestsPerMinute;
      if (limit === undefined) return undefined;
      const counted = await perMinute.consume(caller.id, 1);
      if (counted.consumedPoints <= limit) return undefined;
      onRefusal?.(caller, 'RATE_LIMITED');
      const retryAfterSeconds = Math.max(1, Math.ceil(counted.msBeforeNext / 1000));
      return ocrError('RATE_LIMITED', `over ${limit} recognitions per minute for this client; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    },
    async reservePaidCall(caller) {
      const budget = caller.paidCallsPerDay ?? defaultPaidCallsPerDay;
      if (budget === undefined) return { settle: async () => {} };
      const key = dayKey(caller);
      const counted = await perDay.consume(key, 1);
      if (counted.consumedPoints > budget) {
        await perDay.reward(key, 1);
        onRefusal?.(caller, 'QUOTA_EXCEEDED');
        const retryAfterSeconds = secondsToMidnight();
        return ocrError('QUOTA_EXCEEDED', `this client's ${budget} paid calls for today are spent; cached images are still answered`, { retryAfterSeconds }) satisfies ErrorOutcome;
      }
      // Only a charged call spends the budget; anything else gives its reservation back.
      return { settle: async (charged) => void (charged ? undefined : await perDay.reward(key, 1)) };
    },
  };
}
