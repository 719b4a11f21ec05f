/**
 * An agent tries to hand a conversation with `/tq` to a queue that is closed (Billing on a Saturday;
 * the server's clock is set there), whose overflow rule would end the chat: the server refuses, the
 * agent reads why under the composer, and the chat stays theirs, with the customer still in it. A
 * supervisor's wallboard marks the closed queue Closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { depsAt, SATURDAY_MORNING, startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, signIn } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;
let live: LiveConversation;

describe('Teams tab: a hand-over to a closed queue', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer({ app: { deps: depsAt(SATURDAY_MORNING) } });
    browser = await launch();
    // The customer on Direct Line, accepted over the API: the tab's offer countdown runs on the
    // browser's clock, not the server's.
    live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_closed_queue',
      name: 'Robin Park',
    });
    agent = (await newPage(browser, 'agent')).page;
    await signIn(agent, server.url, 'Alex Rivera');
  }, 180_000);

  afterAll(async () => {
    live?.customer.end();
    await browser?.close();
    await server?.close();
  });

  it('refuses the hand-over, says why, and keeps the chat with the agent', async () => {
    await agent.getByRole('button', { name: 'Open Robin Park' }).click();
    const session = agent.getByRole('region', { name: 'Session with Robin Park' });
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill('/tq Billing');
    await session.getByRole('option', { name: /Billing.*Closed now/ }).waitFor();
    await composer.press('Enter');
    await session
      .getByText('Billing is closed now; transfer the conversation to an open queue or to an agent')
      .waitFor();
    expect(await session.getByText(/Transferred to/).count()).toBe(0);
    await session.getByRole('button', { name: 'End conversation' }).waitFor();

    // Still Alex's, and the customer still in it: Alex's next words reach them.
    await composer.fill('Billing is closed today, so let me look at your bill myself.');
    await composer.press('Enter');
    await live.customer.waitFor(
      'the agent still answering',
      (a) => a.type === 'message' && /look at your bill myself/.test(a.text ?? ''),
    );
    expect(live.customer.seen.some((a) => a.type === 'event' && a.name === 'conversationEnded')).toBe(false);
  }, 120_000);

  it('marks the closed queue Closed on the wallboard, in the table and the chart', async () => {
    const sam = (await newPage(browser, 'sam')).page;
    await signIn(sam, server.url, 'Sam Morgan');
    await sam.getByRole('tab', { name: /^Supervisor/ }).click();
    const billing = sam.getByTestId('wallboard').locator('tr[data-queue="Billing"]');
    await billing.getByText('Closed', { exact: true }).waitFor({ timeout: 20_000 });
    const technical = sam.getByTestId('wallboard').locator('tr[data-queue="Technical support"]');
    expect(await technical.getByText('Closed', { exact: true }).count()).toBe(0);
    await sam.locator('svg').getByText('Billing (closed)').first().waitFor();
  }, 120_000);
});
