import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Chromium (Debian's) as an air-gapped deployment's browser: every host but loopback is
 * unresolvable, and background networking (updates, sync, safe browsing) is off.
 */
export function launchOfflineChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export interface PageRequests {
  /** Every URL the page requested (`data:` URLs as just `data:`). */
  requested: string[];
  /** Requests to hosts other than loopback, refused. */
  elsewhere: string[];
  /** Requests that failed, for whatever reason. */
  failed: string[];
  /** What was requested neither from `origin` nor made in the page (`data:`, `blob:`). */
  notFrom(origin: string): string[];
}

const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';

/** Records every request of `page` and fails any to another host, so a test can assert there were none. */
export async function watchRequests(page: Page): Promise<PageRequests> {
  const requests: PageRequests = {
    requested: [],
    elsewhere: [],
    failed: [],
    notFrom: (origin) => requests.requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')),
  };
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    requests.requested.push(url.protocol === 'data:' ? 'data:' : url.toString());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !isLoopback(url)) {
      requests.elsewhere.push(url.toString());
      return route.abort('addressunreachable');
    }
    return route.continue();
  });
  page.on('requestfailed', (request) => requests.failed.push(request.url()));
  return requests;
}
