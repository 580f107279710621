import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The review page, built into `web/review/dist/` (committed, and compared with a fresh build by
 * test/review/review-page-build.spec.ts), which the gateway serves at `/`. Everything is served by
 * the gateway itself: no CDN, no inline script (so a strict `script-src 'self'` holds).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The only paths the gateway serves for the page besides `/`.
    assetsDir: 'review-assets',
    // The polyfill is an inline script; every browser the page targets has modulepreload.
    modulePreload: { polyfill: false },
    // Small enough to stay readable in review; the gateway compresses nothing itself.
    minify: true,
    sourcemap: false,
  },
});
