import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run review:build` writes the page (committed, checked against a fresh build). */
export const REVIEW_PAGE_DIR = fileURLToPath(new URL('../../web/review/dist/', import.meta.url));

/** The page's own assets live under this path; nothing else of the gateway does. */
const ASSETS_PATH = '/review-assets/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Everything the page may load comes from this gateway: its scripts and styles, the image the
 * reviewer picked (a `blob:` URL) and `/graphql`. The browser refuses anything else, so a card
 * never leaves for another host even if a dependency one day tried.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ReviewPage {
  /** The answer for `/` and the page's assets; undefined for any other path. */
  handle(request: Request): Response | undefined;
}

/**
 * The KYC review page at `/`, served from its built files, read once into memory (a few KB).
 * A missing build is a startup error, not a 404 at the first reviewer's visit.
 */
export function createReviewPage(dir = REVIEW_PAGE_DIR): ReviewPage {
  const files = new Map<string, Uint8Array>();
  files.set('/', readFileSync(join(dir, 'index.html')));
  for (const name of readdirSync(join(dir, ASSETS_PATH))) files.set(ASSETS_PATH + name, readFileSync(join(dir, ASSETS_PATH, name)));

  return {
    handle(request) {
      const { pathname } = new URL(request.url);
      const body = files.get(pathname);
      if (body === undefined) return pathname.startsWith(ASSETS_PATH) ? new Response('Not found', { status: 404 }) : undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
      const headers = {
        'content-type': CONTENT_TYPES[extname(pathname)] ?? CONTENT_TYPES['.html']!,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        // Asset names carry a hash of their content; the page itself must be fetched again to see a new build.
        'cache-control': pathname === '/' ? 'no-cache' : 'public, max-age=31536000, immutable',
      };
      return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers });
    },
  };
}
