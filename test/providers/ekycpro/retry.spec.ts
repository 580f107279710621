import { afterEach, describe, expect, it, vi } from 'vitest';
import { withRetry } from '../../../src/providers/ekycpro/retry.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function script(results: string[]) {
  let n = 0;
  const attempt = vi.fn(async () => results[Math.min(n++, results.length - 1)]!);
  return attempt;
}

const isRetryable = (result: string) => result === 'retry';

describe('withRetry', () => {
  it('makes one attempt when the first result is final', async () => {
    const attempt = script(['done']);
    expect(await withRetry(attempt, isRetryable, { retries: 3, backoffMs: () => 0 })).toBe('done');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('retries a retryable result until it is final', async () => {
    const attempt = script(['retry', 'retry', 'done']);
    expect(await withRetry(attempt, isRetryable, { retries: 5, backoffMs: () => 0 })).toBe('done');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('stops at the bound and returns the last result', async () => {
    const attempt = script(['retry']);
    const backoff = vi.fn(() => 1);
    expect(await withRetry(attempt, isRetryable, { retries: 2, backoffMs: backoff })).toBe('retry');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(backoff.mock.calls).toEqual([[0], [1]]);
  });

  it('makes exactly one attempt with retries 0', async () => {
    const attempt = script(['retry']);
    await withRetry(attempt, isRetryable, { retries: 0, backoffMs: () => 0 });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('waits the backoff between attempts', async () => {
    vi.useFakeTimers();
    const attempt = script(['retry', 'done']);
    const result = withRetry(attempt, isRetryable, { retries: 1, backoffMs: () => 1_000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe('done');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('backs off exponentially from 200 ms with ±25% jitter by default', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // the shortest delay: 0.75 × base
    const attempt = script(['retry', 'retry', 'done']);
    const result = withRetry(attempt, isRetryable, { retries: 2 });
    await vi.advanceTimersByTimeAsync(149);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // 150 ms = 0.75 × 200
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(299);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1); // 300 ms = 0.75 × 400
    expect(await result).toBe('done');
  });

  it('stops waiting as soon as the signal aborts, returning the last result', async () => {
    const attempt = script(['retry']);
    const controller = new AbortController();
    // A backoff far beyond the test's timeout: only the abort can end the wait in time.
    const result = withRetry(attempt, isRetryable, { retries: 5, backoffMs: () => 3_600_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await result).toBe('retry');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('does not retry at all when the signal is already aborted', async () => {
    const attempt = script(['retry']);
    await withRetry(attempt, isRetryable, { retries: 5, backoffMs: () => 0, signal: AbortSignal.abort() });
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
