/**
 * Reads a request body into memory, but never more than `maxBytes` of it: a declared
 * Content-Length over the cap is refused before a byte is read, and a chunked body is cut off
 * as soon as it passes the cap. Returns the bytes, or `TOO_LARGE` (each route answers it in
 * its own shape, with HTTP 413).
 */
export const TOO_LARGE = Symbol('request body too large');

export async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | typeof TOO_LARGE> {
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
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array<ArrayBuffer>[], total: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0]!;
  // Buffer.concat skips zero-filling memory that is overwritten at once.
  const out = Buffer.concat(chunks, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
