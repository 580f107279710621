import type { ByteLease } from './byte-budget.ts';

/**
 * Reads a request body into memory, but never more than `maxBytes` of it: a declared
 * Content-Length over the cap is refused before a byte is read, and a body is cut off as soon as
 * it passes the cap. With a `lease`, every chunk is charged to the budget of buffered bodies as
 * it arrives (what was sent, not what was declared), and a body the budget cannot hold is read to
 * its end without being kept, so that its client gets the "busy" answer. Returns the bytes, or
 * the reason there are none (each route answers it in its own shape): `TOO_LARGE` (413),
 * `OVER_BUDGET` (the whole budget is full: busy, retry), `OVER_SHARE` (this client or address
 * holds its share already: slow down, retry), `ABORTED` (the client went away or the server's
 * request timeout closed the connection; nobody is left to answer).
 */
export const TOO_LARGE = Symbol('request body too large');
export const OVER_BUDGET = Symbol('too many bodies buffered');
export const OVER_SHARE = Symbol('too many bodies buffered for this client or address');
export const ABORTED = Symbol('request body not received');

export type BodyRefusal = typeof TOO_LARGE | typeof OVER_BUDGET | typeof OVER_SHARE | typeof ABORTED;

export async function readLimitedBody(request: Request, maxBytes: number, lease?: ByteLease): Promise<Uint8Array<ArrayBuffer> | BodyRefusal> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return TOO_LARGE;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stop the upload here: reading on would buffer what we are refusing.
        await reader.cancel().catch(() => {});
        return TOO_LARGE;
      }
      if (lease && !lease.take(value.byteLength)) {
        const refusal = lease.overShare ? OVER_SHARE : OVER_BUDGET;
        // What was kept so far is dropped, and given back, now: a client that stalls its drained
        // body holds nothing until its request times out.
        chunks.length = 0;
        lease.release();
        return await drain(reader, maxBytes - total, refusal);
      }
      chunks.push(value as Uint8Array<ArrayBuffer>);
    }
  } catch {
    return ABORTED;
  } finally {
    reader.releaseLock();
  }
  return concat(chunks, total);
}

/**
 * Reads the rest of a body the budget cannot hold and throws it away, a chunk at a time, so that
 * the client (which may not read an answer before it has sent everything) gets its "busy" answer
 * rather than a reset connection. Never more than the `maxBytes` cap: past it, the upload is cut.
 */
async function drain<R extends typeof OVER_BUDGET | typeof OVER_SHARE>(reader: ReadableStreamDefaultReader<Uint8Array>, remaining: number, refusal: R): Promise<R> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return refusal;
      remaining -= value.byteLength;
      if (remaining < 0) break;
    }
  } catch {
    return refusal;
  }
  await reader.cancel().catch(() => {});
  return refusal;
}

function concat(chunks: Uint8Array<ArrayBuffer>[], total: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0]!;
  // Buffer.concat skips zero-filling memory that is overwritten at once.
  const out = Buffer.concat(chunks, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
