/**
 * An agent runs the work stream's macro and links a case by hand, in headless Chromium against the
 * real server: the session's case card and timeline show the case however it came (a macro, the
 * card's own form), the macro says what each action did in words, the articles its knowledge search
 * found open in the session, and its quick reply reaches the customer with the case number.
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
  seriousViolations,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;

/** A customer who asked for a person, accepted by the agent: their chat and the agent's session. */
async function accepted(name: string): Promise<{ chat: Locator; session: Locator }> {
  const chat = await customerAsksForAPerson(
    browser,
    server.url,
    name,
    'The internet is down in my whole street. I want to talk to a person.',
  );
  return { chat, session: await acceptOffer(agent, name) };
}

const caseNumber = (session: Locator) =>
  session.locator('dl').filter({ hasText: 'Number' }).locator('dt:has-text("Number") + dd');

describe('Teams tab: cases and macros in a session', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
    agent = (await newPage(browser, 'agent')).page;
    await signIn(agent, server.url, 'Alex Rivera');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("runs the script's macro: its case on the card, its articles to open, its reply with the number", async () => {
    const { chat, session } = await accepted('Jordan Lee');
    const pane = session.getByRole('complementary', { name: 'Productivity pane' });
    await pane.getByRole('button', { name: 'Run macro' }).first().click();
    const did = pane.getByRole('list', { name: 'What the macro did' });
    await did.waitFor();
    const opened = (await did.getByRole('listitem').first().textContent()) ?? '';
    const number = /^Opened case (CAS-\d+)$/.exec(opened)?.[1];
    expect(number, opened).toBeTruthy();
    // In words, not action ids.
    expect(await did.textContent()).not.toMatch(/create-case|open-kb-search|send-quick-reply/);

    // The case it opened is on the session's case card and in the timeline, without a reload.
    await expect.poll(() => caseNumber(session).textContent()).toBe(number);
    await session
      .getByRole('list', { name: 'Timeline' })
      .getByRole('listitem')
      .filter({ hasText: 'Service outage reported in chat' })
      .waitFor();

    // Its quick reply reached the customer, with the case number filled in.
    await chat.locator('.sb-msg-them', { hasText: number! }).waitFor({ timeout: 20_000 });

    // The articles its knowledge search found open in a tab of the session.
    const first = pane
      .getByRole('list', { name: /^Articles for/ })
      .getByRole('button')
      .first();
    const title = (await first.textContent())!;
    await first.click();
    await session.getByRole('tabpanel', { name: title }).getByRole('button', { name: 'Send link' }).waitFor();
    expect(await seriousViolations(agent)).toEqual([]);
  }, 90_000);

  it('links a new case from the case card, which then shows it with its number, as does the timeline', async () => {
    const { session } = await accepted('Riley Park');
    // Filled again until the card holds it: typed while the session's first reads were landing, a
    // fill on a loaded machine once reached an input React replaced a moment later.
    const titleBox = session.getByRole('textbox', { name: 'New case title' });
    const create = session.getByRole('button', { name: 'Create and link' });
    await expect
      .poll(async () => {
        if (await create.isEnabled()) return true;
        await titleBox.fill('');
        await titleBox.fill('Street-wide outage');
        return create.isEnabled();
      })
      .toBe(true);
    await create.click();
    const details = session.locator('dl').filter({ hasText: 'Street-wide outage' });
    await details.waitFor();
    expect(await details.locator('dt:has-text("Number") + dd').textContent()).toMatch(/^CAS-\d+$/);
    expect(await session.getByText('No case linked to this conversation.').count()).toBe(0);
    await session
      .getByRole('list', { name: 'Timeline' })
      .getByRole('listitem')
      .filter({ hasText: 'Street-wide outage' })
      .waitFor();
  }, 90_000);

  it('keeps the script on screen when marking a step fails, says so, and lets the agent try again', async () => {
    const { session } = await accepted('Quinn Avery');
    const pane = session.getByRole('complementary', { name: 'Productivity pane' });
    const step = pane.getByRole('checkbox').first();
    // The connection drops as the agent ticks the step.
    const route = '**/script/steps/**';
    await agent.route(route, (r) => r.abort('connectionreset'));
    await step.click();
    await pane.getByRole('alert').filter({ hasText: 'Could not mark the step done' }).waitFor();
    expect(await step.isChecked()).toBe(false);
    expect(await pane.getByRole('button', { name: 'Run macro' }).count()).toBeGreaterThan(0);
    await agent.unroute(route);
    await step.click();
    await expect.poll(() => step.isChecked()).toBe(true);
    expect(await pane.getByRole('alert').count()).toBe(0);
  }, 90_000);
});
