/**
 * Chats that leave an agent other than from their own session, in headless Chromium against the real
 * server: a supervisor assigns the chat to someone else, or the agent transfers it from another tab
 * or device; the session says so as it does for a transfer made from it. A colleague asked to
 * consult is not told whom to answer (the chat may be someone else's by then). Signing out with a
 * chat still one's own asks first, naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { signIn as apiSignIn, type ApiClient } from '../api/support/clients.js';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, seriousViolations, signIn } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let alex: Page;
let chen: Page;
let sam: ApiClient;
const chats: LiveConversation[] = [];

/** `name`'s chat, Alex's, open on Alex's screen. */
async function alexsChat(
  userId: string,
  name: string,
): Promise<{ live: LiveConversation; session: Locator }> {
  const live = await liveConversation(server.url, 'agent_alex', { userId, name });
  chats.push(live);
  await alex.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  const session = alex.getByRole('region', { name: `Session with ${name}` });
  await session.getByRole('combobox', { name: 'Message to the customer' }).waitFor();
  return { live, session };
}

/** The session says the chat is no longer the agent's, and offers only to close it. */
async function handedOn(session: Locator, where: RegExp): Promise<void> {
  const notice = session.getByText(/You are no longer on this conversation/);
  await notice.waitFor();
  expect(await notice.textContent()).toMatch(where);
  expect(await session.getByTestId('session-status').textContent()).toBe('Transferred');
  expect(await session.getByRole('combobox').count()).toBe(0);
  const close = session.getByRole('button', { name: 'Close session' });
  // The message box went: the keyboard is on what is left to do.
  await expect.poll(() => close.evaluate((el) => el === document.activeElement)).toBe(true);
}

describe('Teams tab: chats handed on elsewhere', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
    alex = (await newPage(browser, 'alex')).page;
    chen = (await newPage(browser, 'chen')).page;
    await signIn(alex, server.url, 'Alex Rivera');
    await signIn(chen, server.url, 'Chen Wei');
    sam = await apiSignIn(server.url, 'supervisor_sam');
  }, 120_000);

  afterAll(async () => {
    for (const c of chats) c.customer.end();
    await browser?.close();
    await server?.close();
  });

  it("says so in the agent's session when a supervisor assigns their chat to someone else", async () => {
    const { live, session } = await alexsChat('dl_handoff1', 'Dana Whitfield');
    const chenApi = await apiSignIn(server.url, 'agent_chen');
    await chenApi.call('PUT', '/me/presence', { presence: 'available' });
    const assigned = await sam.call('POST', `/conversations/${live.conversationId}/assign`, {
      agentId: 'agent_chen',
    });
    expect(assigned.status).toBe(200);
    // Named once the tab reads who has it (the assignment is made at once), else "another agent".
    await handedOn(session, /^Transferred to (Chen Wei|another agent)\. /);
    expect(await alex.getByRole('tab', { name: /^Dana Whitfield/ }).textContent()).toContain('Transferred');
    expect(await seriousViolations(alex)).toEqual([]);
    await session.getByRole('button', { name: 'Close session' }).click();
    await expect.poll(() => alex.getByRole('tab', { name: /^Dana Whitfield/ }).count()).toBe(0);
  }, 120_000);

  it('says so when the agent transfers the chat from another tab or device', async () => {
    const { live, session } = await alexsChat('dl_handoff2', 'Riley Park');
    // Away, so routing does not offer it straight back to Alex, the one agent there is.
    await live.agent.call('PUT', '/me/presence', { presence: 'away' });
    const moved = await live.agent.call('POST', `/conversations/${live.conversationId}/transfer`, {
      toQueueId: 'queue_technical',
    });
    expect(moved.status).toBe(200);
    await handedOn(session, /^Transferred to the Technical support queue\. /);
    // Nobody is to be offered it when Alex is Available again.
    const closed = await sam.call('POST', `/conversations/${live.conversationId}/force-close`, {});
    expect(closed.status).toBe(200);
  }, 120_000);

  it('offers no Reopen for a chat a supervisor force-closed, while the agent’s own closed chats keep it', async () => {
    const forced = await alexsChat('dl_handoff_forced', 'Morgan Abuse');
    expect(
      (
        await sam.call('POST', `/conversations/${forced.live.conversationId}/force-close`, {
          reason: 'abuse',
        })
      ).status,
    ).toBe(200);
    const own = await alexsChat('dl_handoff_own', 'Casey Done');
    expect((await own.live.agent.call('POST', `/conversations/${own.live.conversationId}/end`)).status).toBe(
      200,
    );
    expect(
      (
        await own.live.agent.call('POST', `/conversations/${own.live.conversationId}/wrap-up`, {
          disposition: 'resolved',
        })
      ).status,
    ).toBe(200);
    await alex.getByRole('tab', { name: 'Dashboard' }).click();
    await alex.getByRole('tab', { name: /Closed in the last 24 hours/ }).click();
    const panel = alex.getByRole('tabpanel', { name: 'Closed in the last 24 hours' });
    const forcedRow = panel.getByRole('row').filter({ hasText: 'Morgan Abuse' });
    const ownRow = panel.getByRole('row').filter({ hasText: 'Casey Done' });
    await ownRow.getByRole('button', { name: 'Reopen Casey Done' }).waitFor();
    await forcedRow.waitFor();
    expect(await forcedRow.textContent()).toContain('force-closed: abuse');
    expect(await forcedRow.getByRole('button', { name: /Reopen/ }).count()).toBe(0);
  }, 120_000);

  it('asks a colleague to consult without telling them whom to answer, who may change', async () => {
    const { live } = await alexsChat('dl_handoff3', 'Jordan Lee');
    const asked = await live.agent.call('POST', `/conversations/${live.conversationId}/consult`, {
      agentId: 'agent_chen',
    });
    expect(asked.status).toBe(200);
    const toast = chen.getByTestId('consult-toast').filter({ hasText: 'On the chat with Jordan Lee' });
    await toast.waitFor();
    const words = await toast.textContent();
    expect(words).toContain('Alex Rivera asked you to consult');
    expect(words).toContain('answer with internal notes');
    expect(words).not.toMatch(/answer Alex Rivera/);
  }, 120_000);

  it('asks before signing out with a chat still the agent’s, naming it; they may go to it or stay', async () => {
    await alex.getByRole('tab', { name: 'Dashboard' }).click();
    await alex.getByRole('button', { name: 'Sign out' }).click();
    const ask = alex.getByRole('alertdialog', { name: /^Sign out with a chat still yours/ });
    await ask.waitFor();
    expect(await ask.getByRole('list', { name: 'Your open chats' }).textContent()).toContain('Jordan Lee');
    expect(await seriousViolations(alex)).toEqual([]);
    await ask.getByRole('button', { name: 'Go to Jordan Lee' }).click();
    await expect.poll(() => ask.count()).toBe(0);
    await alex.getByRole('region', { name: 'Session with Jordan Lee' }).waitFor();

    await alex.getByRole('button', { name: 'Sign out' }).click();
    await ask.getByRole('button', { name: 'Stay signed in' }).click();
    await expect.poll(() => ask.count()).toBe(0);
    expect((await server.services.repos.agents.get('agent_alex'))?.chosenPresence).not.toBe('offline');

    await alex.getByRole('button', { name: 'Sign out' }).click();
    await ask.getByRole('button', { name: 'Sign out anyway' }).click();
    // Found by its role: the sign-in page is not left hidden from screen readers by the question.
    await alex.getByRole('button', { name: 'Sign in as Alex Rivera' }).waitFor();
    await expect
      .poll(async () => (await server.services.repos.agents.get('agent_alex'))?.presence)
      .toBe('offline');
    // As the question said: the chat is still Alex's.
    const chat = await sam.call('GET', `/conversations/${chats.at(-1)!.conversationId}`);
    expect(chat.body).toMatchObject({ status: 'active', agentId: 'agent_alex' });
  }, 120_000);
});
