/** Chromium for widget tests, with every request recorded so tests can prove nothing left the host. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export { launchChromium as launch } from '../../support/chromium.js';

export const SCREENSHOTS = 'test-results/e2e-widget';

export interface RecordedContext {
  context: BrowserContext;
  page: Page;
  /** Every URL the pages asked for (including WebSocket upgrades). */
  requests: string[];
  /** Hosts other than `allowedHost` that were contacted. */
  foreignRequests(allowedHost: string): string[];
}

export async function newRecordedContext(browser: Browser): Promise<RecordedContext> {
  // Reduced motion: screenshots never catch the window mid-animation (and that path gets exercised).
  const context = await browser.newContext({
    viewport: { width: 1280, height: 820 },
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  // Library mode waits forever by default; a test should fail with the locator it was waiting for.
  context.setDefaultTimeout(20_000);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (err) => console.error('[page error]', err));
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') console.error(`[page ${m.type()}]`, m.text());
  });
  return {
    context,
    page,
    requests,
    foreignRequests: (host) =>
      requests.filter((u) => {
        if (u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return false;
        return loopback(new URL(u).host) !== loopback(host);
      }),
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

/** localhost, 127.0.0.1 and [::1] on one port are the same server (the app reports "localhost"). */
function loopback(host: string): string {
  return host.replace(/^(localhost|\[::1\])(?=:|$)/, '127.0.0.1');
}
