/** What one POST to the upstream came to. */
export type PostResult =
  | { kind: 'answered'; httpStatus: number; bodyText: string }
  /**
   * No answer. `maybeCharged` is true when the request may have reached the upstream;
   * `answerStarted` when its answer had begun (status line received) and was cut.
   */
  | { kind: 'no-answer'; reason: 'timeout' | 'network'; maybeCharged: boolean; answerStarted: boolean };

/** `EKYCPRO_SETTLE_MS`'s default: the longest one exchange with the paid API may run, however long its callers wait. */
export const DEFAULT_SETTLE_MS = 120_000;

export interface PostImageOptions {
  url: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * One request exactly as the contract shows it: form-urlencoded, `img` = base64 of the bytes,
 * the key in `X-API-Key`. Never throws, and never lets the key reach an error message.
 */
export async function postImage(bytes: Uint8Array, options: PostImageOptions): Promise<PostResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const controller = new AbortController();
  // One timer bounds the whole exchange (connect, upload, response body); it is cleared in
  // `finally` so a fast answer does not leave a pending timer holding the process open.
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let responded = false;
  try {
    const response = await fetchImpl(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-api-key': options.apiKey,
        accept: 'application/json',
      },
      body: await formBody(bytes),
      signal: controller.signal,
    });
    responded = true;
    return { kind: 'answered', httpStatus: response.status, bodyText: await response.text() };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'no-answer', reason: 'timeout', maybeCharged: true, answerStarted: responded };
    // A refused or reset connection before any response: the request may still have been read
    // (a reset after upload), so only a refused connection is known to be free.
    return { kind: 'no-answer', reason: 'network', maybeCharged: responded || !isConnectionRefused(error), answerStarted: responded };
  } finally {
    clearTimeout(timer);
  }
}

/** 48 KiB of image: a multiple of 3, so the slices' base64 joins into the whole's. */
const SLICE_BYTES = 3 * 16 * 1024;

/**
 * `img=<base64>`, form-encoded, exactly as URLSearchParams would write it, but a slice at a time
 * with a turn of the event loop between slices. Encoding 2 MiB at once took ~40 ms of event loop
 * on the loaded reference machine, and 16 upstream answers arriving together start 16 calls at
 * once: the loop was blocked for most of a second. In slices, other requests (and /healthz) are
 * served in between. The body still has a Content-Length: nothing changes on the wire.
 */
export async function formBody(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Buffer[] = [Buffer.from('img=')];
  for (let at = 0; at < bytes.byteLength; at += SLICE_BYTES) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    const slice = Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(SLICE_BYTES, bytes.byteLength - at));
    // Of the base64 alphabet only `+`, `/` and `=` need escaping, as encodeURIComponent does.
    parts.push(Buffer.from(encodeURIComponent(slice.toString('base64')), 'latin1'));
  }
  return new Uint8Array(Buffer.concat(parts));
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN';
}
