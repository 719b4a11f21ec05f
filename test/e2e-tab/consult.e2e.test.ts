/**
 * Consult in the tab, in headless Chromium against the real server: an agent asks a colleague with
 * `/c`; the colleague finds the conversation among their sessions marked new (and a screen reader
 * hears of it), opens it, answers with an internal note the agent reads, and the customer never
 * sees it. A reload gives the colleague the consult back, still a consult.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  ensureWebBuilt,
  launch,
  newPage,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;
let colleague: Page;
let customer: Locator;

describe('Teams tab: consult a colleague', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
    customer = await customerAsksForAPerson(
      browser,
      server.url,
      'Jordan Lee',
      'My bill doubled and the internet is down. I want to talk to a person.',
    );
    agent = (await newPage(browser, 'agent')).page;
    colleague = (await newPage(browser, 'colleague')).page;
    await signIn(colleague, server.url, 'Sam Morgan');
    await signIn(agent, server.url, 'Alex Rivera');
    await acceptOffer(agent, 'Jordan Lee');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('brings the colleague in with /c, marked new in their sessions, and their note back to the agent', async () => {
    const session = agent.getByRole('region', { name: 'Session with Jordan Lee' });
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill('/c Sam');
    await session.getByRole('option', { name: /Sam Morgan/ }).waitFor();
    await composer.press('Enter');

    // The colleague was not pulled off what they were doing: the session waits in the list, new.
    const tab = colleague.getByRole('tab', { name: /^Jordan Lee.*Consult/ });
    await tab.waitFor({ timeout: 30_000 });
    expect(await tab.textContent()).toMatch(/, (\d+ )?new\b/);
    expect(await colleague.getByRole('tab', { name: 'Dashboard', selected: true }).count()).toBe(1);
    await expect
      .poll(() => colleague.getByRole('status').filter({ hasText: 'asked you to consult' }).count())
      .toBe(1);
    // And seen: the ask stands where offers appear, naming the customer, until they open it.
    const ask = colleague.getByTestId('consult-toast');
    await ask.filter({ hasText: 'On the chat with Jordan Lee' }).waitFor();

    await ask.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => ask.count()).toBe(0);
    await expect.poll(() => tab.textContent()).not.toMatch(/, (\d+ )?new\b/);
    const consultSession = colleague.getByRole('region', { name: 'Session with Jordan Lee' });
    await consultSession.getByText('Consulting').waitFor();
    // The agent script is the agent's to work through: the consultant reads it.
    const theirs = consultSession.getByRole('complementary', { name: 'Productivity pane' });
    await theirs.getByText('Outage troubleshooting').waitFor();
    expect(await theirs.getByRole('button', { name: /^(Run macro|Mark done)\b/ }).count()).toBe(0);
    expect(await theirs.getByRole('checkbox').first().isDisabled()).toBe(true);
    const mine = session.getByRole('complementary', { name: 'Productivity pane' });
    expect(await mine.getByRole('button', { name: 'Run macro' }).count()).toBeGreaterThan(0);
    // A consultant writes to the agents only.
    const note = consultSession.getByRole('combobox', { name: 'Internal note' });
    await note.fill('Check the billing run from the 3rd; it doubled several accounts.');
    await note.press('Enter');
    await session
      .locator('li[data-visibility="internal"]', { hasText: 'billing run from the 3rd' })
      .waitFor({ timeout: 20_000 });
    expect(await customer.getByText('billing run').count()).toBe(0);
  }, 120_000);

  it('gives the colleague the consult back, still a consult, when their tab reloads', async () => {
    await colleague.reload();
    await colleague.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
    // They were on it: it comes back on screen, as a consult (internal notes only, the script read-only).
    const consultSession = colleague.getByRole('region', { name: 'Session with Jordan Lee' });
    await consultSession.getByText('Consulting').waitFor({ timeout: 20_000 });
    await consultSession.getByRole('combobox', { name: 'Internal note' }).waitFor();
    expect(await consultSession.getByRole('combobox', { name: 'Message to the customer' }).count()).toBe(0);
    await consultSession.getByText('billing run from the 3rd').waitFor();
    expect(await colleague.getByRole('tab', { name: /^Jordan Lee.*Consult/ }).count()).toBe(1);
  }, 60_000);
});
