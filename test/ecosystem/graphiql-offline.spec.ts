import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { launchOfflineChromium, watchRequests } from '../support/offline-chromium.ts';

/**
 * GraphiQL as an air-gapped bank would open it: headless Chromium (Debian's), every host but
 * loopback unresolvable, and any request to another host failed and recorded. The page must
 * render its editor and run a query with what the gateway itself serves.
 */
let gw: GatewayServer;
let browser: Browser;

beforeAll(async () => {
  gw = await startGatewayServer();
  browser = await launchOfflineChromium();
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('GraphiQL with no network beyond loopback', () => {
  it('renders the editor from bundled assets, shows the served port in its example, and runs ktpRecognizerStatus', async () => {
    const page = await browser.newPage();
    const requests = await watchRequests(page);

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

    expect(requests.elsewhere).toEqual([]);
    expect(requests.failed).toEqual([]);
    // Everything came from the gateway (or was made in the page: data: and blob: URLs).
    expect(requests.notFrom(gw.origin)).toEqual([]);
    await page.close();
  });
});
