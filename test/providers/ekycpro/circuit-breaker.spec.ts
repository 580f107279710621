import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../../src/providers/ekycpro/circuit-breaker.ts';

function clocked(threshold = 3, cooldownMs = 1_000) {
  let now = 0;
  const breaker = createCircuitBreaker({ threshold, cooldownMs, now: () => now });
  return { breaker, advance: (ms: number) => (now += ms) };
}

function fail(breaker: ReturnType<typeof createCircuitBreaker>, times: number) {
  for (let i = 0; i < times; i++) {
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(false);
  }
}

describe('createCircuitBreaker', () => {
  it('starts closed and lets calls through', () => {
    const { breaker } = clocked();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens on the threshold-th consecutive failure, not before', () => {
    const { breaker } = clocked(3);
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('forgets failures after a success', () => {
    const { breaker } = clocked(3);
    fail(breaker, 2);
    breaker.tryAcquire();
    breaker.record(true);
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('refuses every call during the cooldown, then half-opens for exactly one trial', () => {
    const { breaker, advance } = clocked(2, 1_000);
    fail(breaker, 2);
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // the trial is still out
  });

  it('closes when the trial succeeds', () => {
    const { breaker, advance } = clocked(2, 1_000);
    fail(breaker, 2);
    advance(1_000);
    breaker.tryAcquire();
    breaker.record(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('re-opens for a whole cooldown when the trial fails', () => {
    const { breaker, advance } = clocked(5, 1_000);
    fail(breaker, 5);
    advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(false);
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('uses defaults of 5 failures and 10 s', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ now: () => now });
    fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    now = 9_999;
    expect(breaker.state).toBe('open');
    now = 10_000;
    expect(breaker.state).toBe('half-open');
  });
});

describe('createCircuitBreaker: what counts', () => {
  const timeout = (key: string, startedAt: number) => ({ ok: false as const, cause: 'timeout' as const, key, startedAt });

  it('counts a timeout once per distinct image', () => {
    const { breaker } = clocked(3);
    for (let i = 0; i < 10; i++) {
      breaker.tryAcquire();
      breaker.record(timeout('same-image', 0));
    }
    expect(breaker.state).toBe('closed');
    for (const key of ['b', 'c']) {
      breaker.tryAcquire();
      breaker.record(timeout(key, 0));
    }
    expect(breaker.state).toBe('open');
  });

  it('ignores a timeout of a call that started before the upstream last answered', () => {
    const { breaker, advance } = clocked(2);
    advance(100);
    breaker.tryAcquire();
    breaker.record({ ok: true }); // answered at t=100
    for (const key of ['a', 'b', 'c']) {
      breaker.tryAcquire();
      breaker.record(timeout(key, 50)); // all started at t=50, before that answer
    }
    expect(breaker.state).toBe('closed');
    breaker.tryAcquire();
    breaker.record(timeout('d', 100));
    breaker.tryAcquire();
    breaker.record(timeout('e', 150));
    expect(breaker.state).toBe('open');
  });

  it('adds "down" failures and distinct timeouts together', () => {
    const { breaker } = clocked(3);
    fail(breaker, 2);
    breaker.tryAcquire();
    breaker.record(timeout('a', 0));
    expect(breaker.state).toBe('open');
  });

  it('re-opens when a half-open trial times out', () => {
    const { breaker, advance } = clocked(1, 1_000);
    fail(breaker, 1);
    advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(timeout('a', 1_000));
    expect(breaker.state).toBe('open');
  });
});
