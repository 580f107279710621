import { describe, expect, it } from 'vitest';
import { createByteBudget } from '../../src/http/byte-budget.ts';

describe('createByteBudget: the total, and each client\'s and address\'s share of it', () => {
  it('refuses a take past an owner\'s share (overShare), and past the total (not overShare)', () => {
    const budget = createByteBudget(1000, { perClient: 500, perAddress: 700 });
    const a1 = budget.lease({ client: 'a', address: '10.0.0.1' });
    expect(a1.take(500)).toBe(true);
    const a2 = budget.lease({ client: 'a', address: '10.0.0.2' });
    expect(a2.take(1)).toBe(false);
    expect(a2.overShare).toBe(true);
    // Same address, another client: the address has 200 left.
    const b = budget.lease({ client: 'b', address: '10.0.0.1' });
    expect(b.take(201)).toBe(false);
    expect(b.overShare).toBe(true);
    expect(b.take(200)).toBe(true);
    expect(b.overShare).toBe(false);
    // Anyone else: the total has 300 left.
    const c = budget.lease({ client: 'c', address: '10.0.0.3' });
    expect(c.take(301)).toBe(false);
    expect(c.overShare).toBe(false);
    expect(budget.used).toBe(700);
  });

  it('gives an owner its share back when its leases are released', () => {
    const budget = createByteBudget(1000, { perClient: 500 });
    const first = budget.lease({ client: 'a' });
    expect(first.take(500)).toBe(true);
    first.release();
    expect(budget.lease({ client: 'a' }).take(500)).toBe(true);
  });

  it('holds an unnamed owner (the anonymous client, a request with no address) to the total only', () => {
    const budget = createByteBudget(1000, { perClient: 100, perAddress: 100 });
    expect(budget.lease().take(1000)).toBe(true);
  });

  it('takes nothing more once released', () => {
    const budget = createByteBudget(1000);
    const lease = budget.lease();
    lease.release();
    expect(lease.take(1)).toBe(false);
    expect(budget.used).toBe(0);
  });
});
