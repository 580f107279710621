/**
 * The review page as a KYC reviewer uses it: headless Chromium with no network beyond loopback,
 * the page from the gateway at `/`, a synthetic card picked in its file input, and the real
 * offline engine behind a real gateway (the only provider that locates fields). One worker,
 * warmed once; two engine runs (a card and a receipt) and one cache hit.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import { createNodeServer } from '../../src/http/node-server.ts';
import { createLocalProvider } from '../../src/providers/local/index.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';
import { launchOfflineChromium, watchRequests, type PageRequests } from '../support/offline-chromium.ts';

const cards = new URL('../fixtures/cards/', import.meta.url);
/**
 * The README's picture of the page. The suite must never change a tracked file, so it is written
 * over docs/ only when asked (UPDATE_REVIEW_SCREENSHOT=1 npx vitest run test/review), and to the
 * temporary directory otherwise (the screenshot is still taken, so a page that cannot be drawn fails).
 */
const SCREENSHOT = process.env.UPDATE_REVIEW_SCREENSHOT === '1'
  ? fileURLToPath(new URL('../../docs/review-page.png', import.meta.url))
  : join(tmpdir(), 'ktp-review-page.png');

let gateway: Gateway;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  const provider = createLocalProvider({ poolSize: 1 });
  await provider.warmUp();
  const config = loadConfig({});
  gateway = createGateway({ config, provider });
  server = createNodeServer(gateway.handler, config.server).server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchOfflineChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await gateway?.close();
});

/** Opens the page at `/` and picks `file` as a reviewer would; resolves once the answer is shown. */
async function review(page: Page, file: string): Promise<void> {
  await page.locator('#file').setInputFiles(fileURLToPath(new URL(file, cards)));
  await page.locator('body[data-state="done"]').waitFor({ timeout: 90_000 });
}

// The engine takes seconds per card on two shared cores.
describe('the review page at /, offline', { timeout: 120_000 }, () => {
  let page: Page;
  let requests: PageRequests;
  // What the browser complained of: script errors, and anything the page's CSP refused.
  const complaints: string[] = [];
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    requests = await watchRequests(page);
    page.on('console', (message) => {
      if (message.type() === 'error') complaints.push(message.text());
    });
    page.on('pageerror', (error) => complaints.push(error.message));
    const response = await page.goto(`${origin}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('KTP review');
  });
  afterAll(() => page?.close());

  it('shows a photographed card with a box drawn over each field read, the NIK and its checks, and that it was free', async () => {
    const truth = JSON.parse(await readFile(new URL('ktp-09001/truth.json', cards), 'utf8')) as { id: string; name: string };
    await review(page, 'ktp-09001/photo.jpg');

    expect(await page.locator('.nik-value').innerText()).toBe(truth.id);
    await expect.poll(() => page.locator('.fields').innerText()).toContain(truth.name);
    expect(await page.locator('#nik').innerText()).toMatch(/passes every check|fails its checks/);
    expect(await page.locator('#badges').innerText()).toContain('Not charged');

    // Boxes drawn: one per located field plus the photo, each on the image as displayed.
    const boxes = page.locator('#boxes rect.box');
    expect(await boxes.count()).toBeGreaterThan(5);
    expect(await page.locator('#boxes rect.portrait').count()).toBe(1);
    const image = (await page.locator('#image').boundingBox())!;
    expect(image.width).toBeGreaterThan(300);
    for (const box of await boxes.all()) {
      const drawn = (await box.boundingBox())!;
      expect(drawn.width).toBeGreaterThan(0);
      expect(drawn.x).toBeGreaterThanOrEqual(image.x - 1);
      expect(drawn.y).toBeGreaterThanOrEqual(image.y - 1);
      expect(drawn.x + drawn.width).toBeLessThanOrEqual(image.x + image.width + 1);
      expect(drawn.y + drawn.height).toBeLessThanOrEqual(image.y + image.height + 1);
    }
    // The NIK's box lies in the card's upper half, left of the photo.
    const nik = (await page.locator('#boxes rect[data-field="id"]').boundingBox())!;
    const portrait = (await page.locator('#boxes rect.portrait').boundingBox())!;
    expect(nik.x + nik.width).toBeLessThan(portrait.x + portrait.width);
    expect(nik.y).toBeLessThan(image.y + image.height / 2);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('takes the same card dropped on it, and says it was answered from the cache', async () => {
    await page.evaluate(() => delete document.body.dataset.state);
    const bytes = [...(await readFile(new URL('ktp-09001/photo.jpg', cards)))];
    // A drop as the browser delivers one: a DataTransfer holding the file, on the drop zone.
    const transfer = await page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'card.jpg', { type: 'image/jpeg' }));
      return dt;
    }, bytes);
    await page.locator('#drop').dispatchEvent('drop', { dataTransfer: transfer });
    await page.locator('body[data-state="done"]').waitFor({ timeout: 90_000 });
    expect(await page.locator('#badges').innerText()).toContain('Cached: this upload cost nothing');
    expect(await page.locator('#boxes rect.box').count()).toBeGreaterThan(5);
  });

  it('offers the phone camera as well as files', async () => {
    const input = page.locator('#file');
    expect(await input.getAttribute('accept')).toBe('image/*');
    expect(await input.getAttribute('capture')).toBe('environment');
  });

  it('shows an OcrError clearly for a photo that is not a KTP', async () => {
    await page.evaluate(() => delete document.body.dataset.state);
    await review(page, 'ktp-09185/not-a-ktp.jpg');
    const error = page.locator('#error');
    expect(await error.isVisible()).toBe(true);
    expect(await error.innerText()).toContain('No identity: FAIL');
    expect(await page.locator('#boxes rect').count()).toBe(0);
    expect(await page.locator('.nik-value').count()).toBe(0);
  });

  it('made no request beyond this gateway, and ran with no error under its Content-Security-Policy', () => {
    expect(complaints).toEqual([]);
    expect(requests.elsewhere).toEqual([]);
    expect(requests.failed).toEqual([]);
    expect(requests.notFrom(origin)).toEqual([]);
  });
});

describe('serving the page', () => {
  const handle = (env: Record<string, string>, path: string, method = 'GET') =>
    createGateway({ config: loadConfig({ KTP_PROVIDER: 'ekycpro', ...env }), provider: scriptedProvider() }).handler.handle(
      new Request(`http://gateway.test${path}`, { method }),
    );

  it('serves / with a policy that lets it load nothing from another host', async () => {
    const response = await handle({}, '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    const html = await response.text();
    const asset = /src="(\/review-assets\/[^"]+\.js)"/.exec(html)![1]!;
    const script = await handle({}, asset);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for an unknown asset and 405 for a POST to /', async () => {
    expect((await handle({}, '/review-assets/nothing.js')).status).toBe(404);
    expect((await handle({}, '/', 'POST')).status).toBe(405);
  });

  it('is off with REVIEW_PAGE=false, and under NODE_ENV=production unless REVIEW_PAGE=true', async () => {
    expect((await handle({ REVIEW_PAGE: 'false' }, '/')).status).toBe(404);
    expect((await handle({ NODE_ENV: 'production' }, '/')).status).toBe(404);
    expect((await handle({ NODE_ENV: 'production', REVIEW_PAGE: 'true' }, '/')).status).toBe(200);
  });
});
