/** Chromium for widget tests, with every request recorded so tests can prove nothing left the host. */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, recordedPage, type RecordedPage } from '../../support/chromium.js';

export { launchChromium as launch } from '../../support/chromium.js';

export const SCREENSHOTS = 'test-results/e2e-widget';

export interface RecordedContext extends RecordedPage {
  /** Hosts other than `allowedHost` that were contacted. */
  foreignRequests(allowedHost: string): string[];
}

export async function newRecordedContext(browser: Browser): Promise<RecordedContext> {
  const recorded = await recordedPage(browser, { width: 1280, height: 820 }, 'widget');
  recorded.page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') console.error(`[page ${m.type()}]`, m.text());
  });
  return { ...recorded, foreignRequests: (host) => foreignRequests(recorded.requests, host) };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}
