/**
 * Chromium for every browser suite: one launch, the same flags, and a launch that cannot use up a
 * suite's whole set-up time. Playwright's own launch limit (3 minutes) equals the hooks' limit, so
 * a launch that hung on a loaded CI machine failed as "hook timed out" without saying what hung.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Starting takes 1–2 s here and under 10 s on a loaded 2-core machine; a minute means it hung. */
const LAUNCH_TIMEOUT_MS = 60_000;

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_TIMEOUT_MS });
  } catch (e) {
    // Playwright kills a launch it gave up on, so a second one starts clean. Said out loud: a
    // launch that needs this often is a problem of the machine worth seeing in the log.
    console.warn(`[chromium] launch failed, trying once more: ${(e as Error).message.split('\n')[0]}`);
    return chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_TIMEOUT_MS });
  }
}

export interface RecordedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for, WebSocket upgrades included. */
  requests: string[];
}

/**
 * A page in a fresh context (own storage) whose every request is recorded, so a suite can prove the
 * page asked no host but its own. Reduced motion: screenshots never catch a view mid-animation.
 */
export async function recordedPage(
  browser: Browser,
  viewport: { width: number; height: number },
  label: string,
): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-US', reducedMotion: 'reduce' });
  // Library mode waits forever by default; a test should fail with the locator it was waiting for.
  context.setDefaultTimeout(20_000);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (err) => console.error(`[${label} page error]`, err));
  return { context, page, requests };
}

/** The requests that went to a host other than `host` (localhost, 127.0.0.1 and [::1] count as one). */
export function foreignRequests(requests: readonly string[], host: string): string[] {
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return false;
    return loopback(new URL(u).host) !== loopback(host);
  });
}

function loopback(host: string): string {
  return host.replace(/^(localhost|\[::1\])(?=:|$)/, '127.0.0.1');
}
