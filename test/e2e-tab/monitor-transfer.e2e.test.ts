/**
 * A supervisor who monitors a chat and hands it on with `/t`: the server keeps them monitoring, and
 * so does their session (it hears the customer still, says where the chat went). Close session of a
 * monitor's session leaves the chat on the server, so a reload does not bring it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { signIn as apiSignIn, type ApiClient } from '../api/support/clients.js';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, setPresence, signIn } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let sam: Page;
let chen: Page;
let samApi: ApiClient;

/** Sam's part in the conversation, as the server has it. */
async function samsPart(conversationId: string) {
  const res = await samApi.call('GET', `/conversations/${conversationId}`);
  const parts = res.body.participants as Array<{ agentId: string; mode: string; leftAt?: string }>;
  return parts.filter((p) => p.agentId === 'supervisor_sam').map((p) => ({ mode: p.mode, left: !!p.leftAt }));
}

/** Sam, on the board, monitors `customer`'s chat: resolves with the session. */
async function monitor(customer: string): Promise<Locator> {
  await sam.getByRole('tab', { name: /^Supervisor/ }).click();
  const row = sam.locator('tr', { hasText: customer });
  await row.getByRole('button', { name: 'Actions' }).click({ timeout: 30_000 });
  await sam.getByRole('menuitem', { name: 'Monitor' }).click();
  const session = sam.getByRole('region', { name: `Session with ${customer}` });
  await session.getByText('Monitoring').first().waitFor();
  return session;
}

/** From the monitor's session, `/t` to Chen Wei. */
async function transferToChen(session: Locator): Promise<void> {
  const note = session.getByRole('combobox', { name: 'Internal note' });
  await note.fill('/t chen');
  await session.getByRole('option', { name: /Chen Wei/ }).waitFor();
  await note.press('Enter');
  await session.getByTestId('handed-on').filter({ hasText: 'Transferred to Chen Wei' }).waitFor();
}

describe('Teams tab: a monitoring supervisor who transfers', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
    samApi = await apiSignIn(server.url, 'supervisor_sam');
    sam = (await newPage(browser, 'sam')).page;
    chen = (await newPage(browser, 'chen')).page;
    await signIn(sam, server.url, 'Sam Morgan');
    await signIn(chen, server.url, 'Chen Wei');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('goes on monitoring after the transfer, hearing the customer, as the server keeps them', async () => {
    const live: LiveConversation = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_monitor_transfer',
      name: 'Morgan Blake',
    });
    await setPresence(chen, /^available$/i);
    const session = await monitor('Morgan Blake');
    await transferToChen(session);
    await chen
      .getByTestId('offer-toast')
      .filter({ hasText: 'Morgan Blake' })
      .getByRole('button', { name: 'Accept' })
      .click({ timeout: 30_000 });
    await chen.getByRole('region', { name: 'Session with Morgan Blake' }).waitFor();

    await live.customer.post({ type: 'message', text: 'Is anyone still looking at my router?' });
    await session.getByText('Is anyone still looking at my router?').waitFor({ timeout: 20_000 });
    expect(await session.getByText(/no longer on this conversation/).count()).toBe(0);
    expect(await session.getByRole('button', { name: 'Close session' }).count()).toBe(0);
    await session.getByRole('button', { name: 'Leave' }).waitFor();
    // What the session shows is what the server holds: Sam still monitoring.
    expect(await samsPart(live.conversationId)).toEqual([{ mode: 'monitor', left: false }]);

    // Leave ends it on the server, and a reload does not bring it back.
    await session.getByRole('button', { name: 'Leave' }).click();
    await expect.poll(() => samsPart(live.conversationId)).toEqual([{ mode: 'monitor', left: true }]);
    await sam.reload();
    await sam.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
    await sam.getByRole('tab', { name: 'Dashboard' }).waitFor();
    expect((await samApi.call('GET', '/me/sessions')).body.items).toEqual([]);
    expect(await sam.getByRole('tab', { name: /^Morgan Blake/ }).count()).toBe(0);
    live.customer.end();
  }, 180_000);

  it('lets the monitor close the session of a chat that ended, their part ended with it', async () => {
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_monitor_close',
      name: 'Quinn Avery',
    });
    await setPresence(chen, /^available$/i);
    const session = await monitor('Quinn Avery');
    await transferToChen(session);
    // The customer goes while the chat is offered to Chen: abandoned, which ends every part in it,
    // as a close does.
    await server.services.router.abandon(live.conversationId);
    const close = session.getByRole('button', { name: 'Close session' });
    await close.waitFor({ timeout: 20_000 });
    expect(await samsPart(live.conversationId)).toEqual([{ mode: 'monitor', left: true }]);

    await close.click();
    await expect.poll(() => sam.getByRole('tab', { name: /^Quinn Avery/ }).count()).toBe(0);
    await expect.poll(() => samsPart(live.conversationId)).toEqual([{ mode: 'monitor', left: true }]);
    live.customer.end();
  }, 180_000);
});
