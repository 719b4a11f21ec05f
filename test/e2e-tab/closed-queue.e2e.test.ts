/**
 * An agent hands a conversation with `/tq` to a queue that is closed (Billing on a Saturday; the
 * server's clock is set there), whose overflow rule ends the chat: the agent's session says it was
 * transferred and offers only to close it — no error from the reads the chat's end starts, which
 * the server now refuses this agent, and no End conversation.
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

  it('leaves the session saying it was transferred, with no error and no End', async () => {
    await agent.getByRole('button', { name: 'Open Robin Park' }).click();
    const session = agent.getByRole('region', { name: 'Session with Robin Park' });
    const composer = session.getByRole('textbox', { name: 'Message to the customer' });
    await composer.fill('/tq Billing');
    await session.getByRole('option', { name: /Billing/ }).waitFor();
    await composer.press('Enter');
    await session.getByText(/Transferred to the Billing queue/).waitFor();

    // Routing's sweep ends the chat in the closed queue; the customer hears of it.
    await live.customer.waitFor(
      'the end',
      (a) => a.type === 'event' && a.name === 'conversationEnded',
      30_000,
    );
    // The end reached the agent's stream too; once the page has nothing in flight, what it shows:
    await agent.waitForLoadState('networkidle');
    await session.getByRole('button', { name: 'Close session' }).waitFor();
    expect(await session.getByText(/may not see conversation/).count()).toBe(0);
    expect(await session.getByRole('button', { name: 'End conversation' }).count()).toBe(0);
  }, 120_000);
});
