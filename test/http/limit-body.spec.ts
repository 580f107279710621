import { describe, expect, it } from 'vitest';
import { createByteBudget } from '../../src/http/byte-budget.ts';
import { ABORTED, OVER_BUDGET, OVER_SHARE, readLimitedBody, TOO_LARGE } from '../../src/http/limit-body.ts';

function chunkedRequest(chunks: Uint8Array[], onPull?: (index: number) => void): Request {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.(index);
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else controller.close();
    },
  }, { highWaterMark: 0 });
  return new Request('http://gateway.test/graphql', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readLimitedBody', () => {
  it('reads a body at the cap in full', async () => {
    const bytes = new Uint8Array(1024).fill(7);
    const request = new Request('http://gateway.test/', { method: 'POST', body: bytes });
    expect(await readLimitedBody(request, 1024)).toEqual(bytes);
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    let pulled = false;
    const request = new Request('http://gateway.test/', {
      method: 'POST',
      headers: { 'content-length': '1025' },
      body: new ReadableStream(
        {
          pull() {
            pulled = true;
          },
        },
        { highWaterMark: 0 }, // pulled only when somebody reads
      ),
      duplex: 'half',
    } as RequestInit);
    expect(await readLimitedBody(request, 1024)).toBe(TOO_LARGE);
    expect(pulled).toBe(false);
  });

  it('cuts off a chunked body as soon as it passes the cap, and cancels the rest', async () => {
    const pulls: number[] = [];
    const chunks = Array.from({ length: 10 }, () => new Uint8Array(400));
    expect(await readLimitedBody(chunkedRequest(chunks, (i) => pulls.push(i)), 1000)).toBe(TOO_LARGE);
    expect(Math.max(...pulls)).toBeLessThan(5);
  });

  it('joins a chunked body within the cap in order', async () => {
    const chunks = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])];
    expect(await readLimitedBody(chunkedRequest(chunks), 6)).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]));
  });

  it('answers an empty Uint8Array for a request without a body', async () => {
    expect(await readLimitedBody(new Request('http://gateway.test/', { method: 'POST' }), 10)).toEqual(new Uint8Array(0));
  });

  it('does not trust a small declared length over a larger body', async () => {
    // A lying Content-Length must not let more than the cap in.
    const chunks = [new Uint8Array(600), new Uint8Array(600)];
    const request = new Request('http://gateway.test/', {
      method: 'POST',
      headers: { 'content-length': '10' },
      body: new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(await readLimitedBody(request, 1000)).toBe(TOO_LARGE);
  });
});

describe('readLimitedBody with the buffered-bytes budget', () => {
  it('charges what has arrived, not what is declared: a body declaring more than the budget holds is read while it fits', async () => {
    const budget = createByteBudget(1000);
    const lease = budget.lease();
    let usedWhenSecondPulled = -1;
    const request = chunkedRequest([new Uint8Array(100), new Uint8Array(100)], (i) => i === 1 && (usedWhenSecondPulled = budget.used));
    request.headers.set('content-length', '900000');
    // The declared length is under the cap but far over the budget; the bytes sent fit.
    expect(await readLimitedBody(request, 1_000_000, lease)).toHaveLength(200);
    expect(usedWhenSecondPulled).toBe(100);
    expect(budget.used).toBe(200);
    lease.release();
    lease.release(); // idempotent
    expect(budget.used).toBe(0);
  });

  it('refuses the chunk that does not fit: the body is read to its end and thrown away, and what it held is given back at once', async () => {
    const budget = createByteBudget(1000);
    const held = budget.lease();
    expect(held.take(600)).toBe(true);
    const pulls: number[] = [];
    const lease = budget.lease();
    expect(await readLimitedBody(chunkedRequest([new Uint8Array(250), new Uint8Array(250)], (i) => pulls.push(i)), 10_000, lease)).toBe(OVER_BUDGET);
    expect(pulls).toEqual([0, 1, 2]); // drained, so its client is answered rather than reset
    expect(budget.used).toBe(600); // the first 250 given back before the lease is released
    held.release();
    expect(budget.used).toBe(0);
    const endless = Array.from({ length: 100 }, () => new Uint8Array(300));
    pulls.length = 0;
    expect(await readLimitedBody(chunkedRequest(endless, (i) => pulls.push(i)), 2_000, createByteBudget(1000).lease())).toBe(OVER_BUDGET);
    expect(Math.max(...pulls)).toBeLessThan(10); // past the cap it stops reading
  });

  it('answers OVER_SHARE when the owner holds its share, while another owner still gets in', async () => {
    const budget = createByteBudget(1000, { perClient: 400 });
    const first = budget.lease({ client: 'a' });
    expect(await readLimitedBody(chunkedRequest([new Uint8Array(300)]), 10_000, first)).toHaveLength(300);
    expect(await readLimitedBody(chunkedRequest([new Uint8Array(200)]), 10_000, budget.lease({ client: 'a' }))).toBe(OVER_SHARE);
    expect(await readLimitedBody(chunkedRequest([new Uint8Array(200)]), 10_000, budget.lease({ client: 'b' }))).toHaveLength(200);
  });

  it('keeps the bytes of a body it read charged until the lease is released', async () => {
    const budget = createByteBudget(1000);
    const lease = budget.lease();
    expect(await readLimitedBody(chunkedRequest([new Uint8Array(400), new Uint8Array(100)]), 10_000, lease)).toHaveLength(500);
    expect(budget.used).toBe(500);
    lease.release();
    expect(budget.used).toBe(0);
  });

  it('answers ABORTED when the body stream fails (a client gone, a request timeout)', async () => {
    const request = new Request('http://gateway.test/', {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(10));
          controller.error(new Error('aborted'));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(await readLimitedBody(request, 1000, createByteBudget(1000).lease())).toBe(ABORTED);
  });
});
