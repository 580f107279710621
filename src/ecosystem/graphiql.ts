import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * GraphiQL's options for one request: the default query's curl example names the origin the
 * page was served from (the port the server listens on, or the host a proxy forwarded), never
 * a hard-coded one.
 */
export function graphiqlOptions(request: Request, graphqlPath: string): GraphiQLOptions {
  const endpoint = new URL(graphqlPath, request.url).toString();
  return { title: 'ktp-gateway', defaultQuery: defaultQuery(endpoint) };
}

function defaultQuery(endpoint: string): string {
  return `# GraphiQL cannot attach files, so recognizeKtp is tried from a terminal:
#
#   curl ${endpoint} \\
#     -H 'x-graphql-yoga-csrf: 1' \\
#     -F operations='{"query":"mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik name birthDate } ... on OcrError { code message } } }","variables":{"image":null}}' \\
#     -F map='{"0":["variables.image"]}' \\
#     -F 0=@ktp.jpg
#
# Here you can explore the schema and check the recognizer:
query {
  ktpRecognizerStatus {
    provider
    ready
  }
}
`;
}

export interface GraphiqlCachingOptions {
  /** Compressed pages kept: one per page served (each names its own origin). Default 4. */
  maxPages?: number;
}

type Encoding = 'br' | 'gzip';
const compress: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  // Quality 5: 1.9 MB in about 0.4 s of a thread-pool thread; 11 saves 0.2 MB for 20 s.
  br: (body) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => promisify(gzip)(body),
};

/**
 * GraphiQL's page is 9 MB of HTML (its assets are bundled in: it works air-gapped). This sends
 * it brotli- or gzip-compressed when the browser accepts it (under 2 MB and 2.5 MB), each
 * compression done once and kept, and with an ETag: a browser that has the page gets a 304.
 * `Cache-Control: no-cache` makes it ask each time, so a new version is never missed.
 */
export function useGraphiqlCaching({ maxPages = 4 }: GraphiqlCachingOptions = {}): Plugin {
  const compressed = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  return {
    async onResponse({ request, response, setResponse }) {
      if (request.method !== 'GET' || response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/html')) return;
      const body = Buffer.from(await response.arrayBuffer());
      const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      headers.set('etag', etag);
      headers.set('cache-control', 'no-cache');
      headers.set('vary', 'accept-encoding');
      if (matches(request.headers.get('if-none-match'), etag)) {
        headers.delete('content-type');
        return setResponse(new Response(null, { status: 304, headers }));
      }
      const encoding = acceptedEncoding(request.headers.get('accept-encoding'));
      if (!encoding) return setResponse(new Response(body, { status: 200, headers }));
      const key = `${encoding} ${etag}`;
      let page = compressed.get(key);
      if (!page) {
        // Copied once into a plain ArrayBuffer, the body type a Response takes.
        page = compress[encoding](body).then((bytes) => new Uint8Array(bytes));
        compressed.set(key, page);
        // A failed compression is not kept; the oldest page goes first.
        page.catch(() => compressed.delete(key));
        if (compressed.size > maxPages) compressed.delete(compressed.keys().next().value!);
      }
      headers.set('content-encoding', encoding);
      setResponse(new Response(await page, { status: 200, headers }));
    },
  };
}

/** If-None-Match: a list of ETags, weak or strong, or `*`. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** br over gzip when both are accepted; neither when the browser gave them q=0 or no header. */
function acceptedEncoding(acceptEncoding: string | null): Encoding | undefined {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)).find(Boolean);
    if (name && (!q || Number(q[1]) > 0)) accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}
