import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';

/**
 * GraphiQL as an air-gapped bank would open it: headless Chromium (Debian's), every host but
 * loopback unresolvable, and any request to another host failed and recorded. The page must
 * render its editor and run a query with what the gateway itself serves.
 */
let gw: GatewayServer;
let browser: Browser;

beforeAll(async () => {
  gw = await startGatewayServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';

describe('GraphiQL with no network beyond loopback', () => {
  it('renders the editor from bundled assets, shows the served port in its example, and runs ktpRecognizerStatus', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const requested: string[] = [];
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requested.push(url.protocol === 'data:' ? 'data:' : url.toString());
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        if (!isLoopback(url)) {
          elsewhere.push(url.toString());
          return route.abort('addressunreachable');
        }
      }
      return route.continue();
    });
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));

    const response = await page.goto(gw.graphqlUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('ktp-gateway');

    // Monaco renders spaces as no-break spaces.
    const textOf = async (selector: string) => (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
    const editor = page.locator('.graphiql-query-editor .monaco-editor');
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    // Monaco renders the text in view lines; the example names this server's own origin.
    await expect.poll(() => textOf('.graphiql-query-editor'), { timeout: 10_000 }).toContain(`curl ${gw.graphqlUrl}`);

    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => textOf('.graphiql-response'), { timeout: 15_000 })
      .toMatch(/"provider":\s*"ekycpro"[\s\S]*"ready":\s*true/);

    expect(elsewhere).toEqual([]);
    expect(failed).toEqual([]);
    // Everything came from the gateway (or was made in the page: data: and blob: URLs).
    expect(requested.filter((url) => !url.startsWith(gw.origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    await page.close();
  });
});
