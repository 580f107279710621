import type { ByteLease } from './byte-budget.ts';

/**
 * Reads a request body into memory, but never more than `maxBytes` of it: a declared
 * Content-Length over the cap is refused before a byte is read, and a chunked body is cut off
 * as soon as it passes the cap. With a `lease`, every byte is also charged to the process-wide
 * budget of buffered bodies, and a body the budget cannot hold is read to its end without being
 * kept (`OVER_BUDGET`), so that its client gets the "busy" answer. Returns the bytes, or the reason there are none (each route answers it in its
 * own shape): `TOO_LARGE` (413), `OVER_BUDGET` (busy, retry), `ABORTED` (the client went away or
 * the server's request timeout closed the connection; nobody is left to answer).
 */
export const TOO_LARGE = Symbol('request body too large');
export const OVER_BUDGET = Symbol('too many bodies buffered');
export const ABORTED = Symbol('request body not received');

export type BodyRefusal = typeof TOO_LARGE | typeof OVER_BUDGET | typeof ABORTED;

export async function readLimitedBody(request: Request, maxBytes: number, lease?: ByteLease): Promise<Uint8Array<ArrayBuffer> | BodyRefusal> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return TOO_LARGE;
  if (!request.body) return new Uint8Array(0);
  // The declared length is charged up front; a body that lies about it is charged as it comes.
  let charged = Number.isFinite(declared) && declared > 0 ? declared : 0;
  const reader = request.body.getReader();
  if (lease && charged > 0 && !lease.take(charged)) {
    try {
      return await drain(reader, maxBytes);
    } finally {
      reader.releaseLock();
    }
  }

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
      if (lease && total > charged) {
        if (!lease.take(total - charged)) return await drain(reader, maxBytes - total);
        charged = total;
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
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, remaining: number): Promise<typeof OVER_BUDGET> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return OVER_BUDGET;
      remaining -= value.byteLength;
      if (remaining < 0) break;
    }
  } catch {
    return OVER_BUDGET;
  }
  await reader.cancel().catch(() => {});
  return OVER_BUDGET;
}

function concat(chunks: Uint8Array<ArrayBuffer>[], total: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0]!;
  // Buffer.concat skips zero-filling memory that is overwritten at once.
  const out = Buffer.concat(chunks, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
