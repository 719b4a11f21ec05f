/**
 * The customer's chat window loses its connection while an agent serves them, in headless Chromium
 * against the real server (the disconnected time cut to half a second): the session's header and
 * the session list say the customer is disconnected and for how long, until they are back on the
 * page; their supervisor's board marks the chat meanwhile. The agent's computer runs ten minutes
 * fast, as some do: the offer's countdown and the disconnected time still read right, on the
 * server's clock. A customer who ends the chat themselves has the agent's wrap-up offer "Customer
 * left" first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_LIMITS } from '../../bot/directline/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  ensureWebBuilt,
  launch,
  newPage,
  screenshot,
  seriousViolations,
  signIn,
} from './support/tab-browser.js';

const TEN_MINUTES = 10 * 60_000;

let server: TestServer;
let browser: Browser;
let agent: Page;
let supervisor: Page;

describe('Teams tab: a customer whose chat window lost its connection', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer({
      app: {
        directLineLimits: { ...DEFAULT_LIMITS, customerDisconnectedMs: 500, customerAwayMs: 120_000 },
      },
    });
    // Sam starts the demo Available; away, the offer can only go to Alex.
    await server.services.router.presence.set('supervisor_sam', 'away');
    browser = await launch();
    agent = (await newPage(browser, 'agent')).page;
    await agent.clock.install({ time: Date.now() + TEN_MINUTES });
    await signIn(agent, server.url, 'Alex Rivera');
    supervisor = (await newPage(browser, 'supervisor')).page;
    await signIn(supervisor, server.url, 'Sam Morgan');
    await supervisor.getByRole('tab', { name: /^Supervisor/ }).click();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the customer disconnected, counting on the server clock, until they are back', async () => {
    const chat = await customerAsksForAPerson(browser, server.url, 'Jordan Lee');
    const customer = chat.page();
    const toast = agent.getByTestId('offer-toast').filter({ hasText: 'Jordan Lee' });
    await toast.waitFor({ timeout: 30_000 });
    // Counted against this computer's clock the offer would have run out ten minutes ago.
    await expect.poll(() => toast.textContent()).toMatch(/Expires in \d+ s/);
    const session = await acceptOffer(agent, 'Jordan Lee');
    await chat
      .getByText(/Alex Rivera/)
      .first()
      .waitFor();

    // The customer's tab goes elsewhere: their chat's stream closes.
    await customer.goto('about:blank');
    const badge = session.getByTestId('customer-away');
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.textContent()).toMatch(/^Disconnected \d+ sCustomer disconnected$/);
    const listed = agent.getByRole('tab', { name: /Jordan Lee/ }).getByTestId('customer-away');
    await listed.waitFor();
    expect(await listed.textContent()).toMatch(/^Disconnected \d+ s/);
    await agent.getByRole('status').filter({ hasText: 'Jordan Lee disconnected' }).waitFor();
    // The supervisor's board marks the row too.
    const row = supervisor.locator('tr[data-conversation]').filter({ hasText: 'Jordan Lee' });
    await row.getByTestId('customer-away').waitFor();
    expect(await seriousViolations(agent)).toEqual([]);
    await screenshot(agent, 'customer-disconnected');

    // Back on the page, the widget picks the chat up again: the marks go.
    await customer.goto(`${server.url}/`);
    await agent.getByRole('status').filter({ hasText: 'Jordan Lee is back' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => badge.count()).toBe(0);
    await expect.poll(() => listed.count()).toBe(0);
    await expect.poll(() => row.getByTestId('customer-away').count(), { timeout: 20_000 }).toBe(0);
  }, 120_000);

  it('marks an offer whose waiting customer lost their connection, as it happens', async () => {
    const chat = await customerAsksForAPerson(browser, server.url, 'Riley Park');
    const toast = agent.getByTestId('offer-toast').filter({ hasText: 'Riley Park' });
    await toast.waitFor({ timeout: 30_000 });
    expect(await toast.getByTestId('customer-away').count()).toBe(0);
    await chat.page().goto('about:blank');
    await toast.getByTestId('customer-away').waitFor({ timeout: 20_000 });
    await chat.page().goto(`${server.url}/`);
    await expect.poll(() => toast.getByTestId('customer-away').count(), { timeout: 20_000 }).toBe(0);
  }, 120_000);

  it('offers "Customer left" first when the customer ended the chat', async () => {
    const chat = await customerAsksForAPerson(browser, server.url, 'Casey Quinn');
    const session = await acceptOffer(agent, 'Casey Quinn');
    await chat
      .getByText(/Alex Rivera/)
      .first()
      .waitFor();
    await chat.getByRole('button', { name: 'End chat' }).click();
    await chat
      .getByRole('group', { name: 'End the chat?' })
      .getByRole('button', { name: 'End chat' })
      .click();
    await chat.getByText('You ended the chat').waitFor();
    await session.getByRole('button', { name: 'Close with wrap-up' }).waitFor({ timeout: 20_000 });
    const disposition = session.getByRole('combobox', { name: 'Disposition' });
    await expect.poll(() => disposition.inputValue()).toBe('Customer left');
    // The agent's choice stands over the default.
    await disposition.selectOption('Resolved with follow-up');
    await session.getByRole('button', { name: 'Close with wrap-up' }).click();
    // Stored as chosen, beside who ended it.
    const conversations = server.services.store.collection<{ endedBy?: string; disposition?: string }>(
      'conversations',
    );
    await expect
      .poll(async () =>
        (await conversations.find({ disposition: 'Resolved with follow-up' })).map((c) => c.endedBy),
      )
      .toEqual(['customer']);
  }, 120_000);
});
