/**
 * The addresses the tab is opened with: the manifest's Supervisor tab (`?view=supervisor`) and the
 * Teams cards' "Open in workspace" (`?view=agent&conversation=<id>`). Each opens what it names for
 * whoever may see it, says why not to whoever may not, and a reload does not open the link again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, signIn } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let live: LiveConversation;
let alex: Page;
let sam: Page;
let chen: Page;

/** Opens the tab at `query` in a page already signed in (the dev token is the browser tab's). */
async function openAt(page: Page, query: string): Promise<void> {
  await page.goto(`${server.url}/tab/${query}`);
  await page.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
}

const conversationParam = (page: Page) => new URL(page.url()).searchParams.get('conversation');

describe('Teams tab: opened on a view or a conversation', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
    live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_start_link', name: 'Dana Cruz' });
    alex = (await newPage(browser, 'alex')).page;
    sam = (await newPage(browser, 'sam')).page;
    chen = (await newPage(browser, 'chen')).page;
    await signIn(alex, server.url, 'Alex Rivera');
    await signIn(sam, server.url, 'Sam Morgan');
    await signIn(chen, server.url, 'Chen Wei');
  }, 180_000);

  afterAll(async () => {
    live?.customer.end();
    await browser?.close();
    await server?.close();
  });

  it('opens the Supervisor tab on the supervisor view, and an agent on the dashboard', async () => {
    await openAt(sam, '?view=supervisor&inTeams=1');
    await expect.poll(() => sam.getByRole('tab', { name: /^Supervisor/, selected: true }).count()).toBe(1);
    await sam.getByRole('heading', { name: 'Supervisor', level: 2 }).waitFor();

    await openAt(alex, '?view=supervisor');
    await alex.getByRole('tab', { name: 'Dashboard', selected: true }).waitFor();
    expect(await alex.getByRole('tab', { name: /^Supervisor/ }).count()).toBe(0);
  }, 60_000);

  it("opens the agent's own chat from a card's link, once", async () => {
    await openAt(alex, `?view=agent&conversation=${live.conversationId}`);
    const session = alex.getByRole('region', { name: 'Session with Dana Cruz' });
    await session.getByRole('combobox', { name: 'Message to the customer' }).waitFor();
    await expect.poll(() => alex.getByRole('tab', { name: /^Dana Cruz/, selected: true }).count()).toBe(1);
    expect(conversationParam(alex)).toBeNull();
    expect(new URL(alex.url()).searchParams.get('view')).toBe('agent');
  }, 60_000);

  it('asks a supervisor before monitoring a linked chat, and monitors it when asked', async () => {
    await openAt(sam, `?view=agent&conversation=${live.conversationId}`);
    const notice = sam.getByTestId('link-notice');
    await notice.filter({ hasText: 'You are not in the chat with Dana Cruz' }).waitFor();
    expect(await sam.getByRole('region', { name: 'Session with Dana Cruz' }).count()).toBe(0);
    expect(conversationParam(sam)).toBeNull();
    await notice.getByRole('button', { name: 'Monitor' }).click();
    const session = sam.getByRole('region', { name: 'Session with Dana Cruz' });
    await session.getByText('Monitoring').first().waitFor();
    await expect.poll(() => notice.count()).toBe(0);
    await session.getByRole('button', { name: 'Leave' }).click();
    await expect.poll(() => sam.getByRole('tab', { name: /^Dana Cruz/ }).count()).toBe(0);
    // The address no longer names it: a reload opens the tab plainly, asking nothing.
    await sam.reload();
    await sam.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
    await sam.getByRole('tab', { name: 'Dashboard' }).waitFor();
    expect(await sam.getByTestId('link-notice').count()).toBe(0);
  }, 60_000);

  it("tells an agent plainly that a colleague's chat cannot be opened", async () => {
    await openAt(chen, `?view=agent&conversation=${live.conversationId}`);
    await chen
      .getByTestId('link-notice')
      .filter({ hasText: /cannot be opened/ })
      .waitFor();
    expect(await chen.getByRole('region', { name: 'Session with Dana Cruz' }).count()).toBe(0);
    expect(conversationParam(chen)).toBeNull();
  }, 60_000);
});
