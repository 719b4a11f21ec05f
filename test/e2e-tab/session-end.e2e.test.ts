/**
 * A sign-in that ends while the tab is open, in headless Chromium against the real server: the live
 * stream closes (4001) and the tab, instead of retrying the dead token for ever, asks the agent to
 * sign in again and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { shortSession } from '../support/dev-session.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, seriousViolations } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;

describe('Teams tab: a session that ends', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('goes back to the sign-in, saying the session ended, once its stream is closed for it', async () => {
    const { page } = await newPage(browser, 'ending');
    // Long enough to load the workspace and see the stream live; the server then closes it.
    const token = await shortSession(server, 'agent_alex', 6);
    await page.addInitScript((t) => sessionStorage.setItem('switchboard.devToken', t), token);
    await page.goto(`${server.url}/tab/?theme=light`);
    await page.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();

    await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign in as Alex Rivera' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('switchboard.devToken'))).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign in as Alex Rivera' }).click();
    await page.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => page.getByText('Your session has ended').count()).toBe(0);
  }, 90_000);
});
