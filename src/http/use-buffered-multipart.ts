import { File as FetchFile } from '@whatwg-node/fetch';
import type { Plugin } from 'graphql-yoga';

/** What the gateway hands Yoga beside each request: the body it already read (and capped). */
export interface BufferedBodyContext {
  rawBody?: Uint8Array;
}

/**
 * Multipart uploads without a second pass over the bytes. The gateway reads every body into
 * memory before Yoga sees it (to cap its size); Yoga's multipart parser would then stream those
 * same 200 KB again through a ReadableStream and busboy's JavaScript boundary search, which was
 * the largest cost of a cache hit. Here the buffered body is split with `Buffer.indexOf` (native)
 * and handed to Yoga's own multipart parser as the request's `formData()`, so the spec handling
 * (operations, map, error messages) stays Yoga's.
 *
 * Only the plain shape every client sends is split here: string fields and at most one file, no
 * preamble, no unusual part headers. Anything else returns to Yoga's parser untouched, which keeps
 * its limits and its 400s for what it refuses (a string field over `maxFieldBytes` included).
 */
export interface BufferedMultipartOptions {
  /**
   * The largest string field (`operations`, `map`) split here; a larger one goes back to Yoga's
   * parser, whose `fieldSize` limit refuses it with its own 400. Default: no bound of its own.
   */
  maxFieldBytes?: number;
}

export function useBufferedMultipart({ maxFieldBytes = Infinity }: BufferedMultipartOptions = {}): Plugin<Record<string, unknown>, BufferedBodyContext> {
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext }) {
      const body = serverContext.rawBody;
      const contentType = request.headers.get('content-type');
      if (!requestParser || !body || !contentType?.toLowerCase().startsWith('multipart/form-data')) return;
      const form = splitSimpleMultipart(body, contentType, maxFieldBytes);
      if (form === null) return;
      const original = requestParser;
      // Yoga's multipart parser reads nothing from the request but `formData()`.
      setRequestParser(() => original({ formData: async () => form } as unknown as Request));
    },
  };
}

const CRLF = 0x0d0a;
const DISPOSITION = /^content-disposition:[ \t]*form-data;[ \t]*name="([^"\\\r\n]*)"(?:;[ \t]*filename="([^"\\\r\n]*)")?[ \t]*$/i;
const PART_TYPE = /^content-type:[ \t]*([^\r\n]*)$/i;

/**
 * The parts of a `multipart/form-data` body in the plain shape, or null when it is not plainly
 * shaped (the caller then lets a full parser decide). At most one file part: a second makes it
 * "not plain", and the full parser answers it with its own refusal.
 */
export function splitSimpleMultipart(body: Uint8Array, contentType: string, maxFieldBytes = Infinity): Pick<FormData, 'get'> | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return null;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  if (bytes.indexOf(opening) !== 0) return null;

  // Not a global FormData: it would turn the ponyfill File below into the string "[object File]".
  const parts = new Map<string, string | File>();
  const form = { get: (name: string) => parts.get(name) ?? null };
  let files = 0;
  let at = opening.length;
  for (;;) {
    // After a delimiter: `--` closes the body, CRLF opens a part.
    if (at + 2 > bytes.byteLength) return null;
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return form;
    if (bytes.readUInt16BE(at) !== CRLF) return null;
    const headersEnd = bytes.indexOf('\r\n\r\n', at + 2);
    if (headersEnd === -1) return null;
    const next = bytes.indexOf(delimiter, headersEnd + 4);
    if (next === -1) return null;

    let name: string | undefined;
    let filename: string | undefined;
    let type = '';
    for (const line of bytes.toString('utf8', at + 2, headersEnd).split('\r\n')) {
      const disposition = DISPOSITION.exec(line);
      const partType = PART_TYPE.exec(line);
      if (disposition && name === undefined) [, name, filename] = disposition;
      else if (partType) type = partType[1]!.trim();
      else return null;
    }
    if (name === undefined) return null;
    const content = bytes.subarray(headersEnd + 4, next);
    if (filename === undefined) {
      if (content.byteLength > maxFieldBytes) return null;
      if (!parts.has(name)) parts.set(name, content.toString('utf8'));
    } else {
      if (++files > 1) return null;
      // The fetch ponyfill's File keeps the bytes it is given (node's own File copies them, and
      // reads them back through a stream): the upload is copied once, by the resolver.
      if (!parts.has(name)) parts.set(name, new FetchFile([content as Uint8Array<ArrayBuffer>], filename, { type }) as File);
    }
    at = next + delimiter.length;
  }
}
