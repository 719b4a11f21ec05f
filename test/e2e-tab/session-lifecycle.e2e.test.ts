/**
 * One chat's whole life in the tab, in headless Chromium against the real server, watched for where
 * the keyboard is and what the agent is told: the bot hands the customer over and the session list
 * counts their wait; the agent transfers the chat, gets it back and works it again without a
 * reload; ends, closes and reopens it, each step leaving the focus on what comes next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  customerSays,
  newPage,
  seriousViolations,
  serverWithAlex,
  setPresence,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let alex: Page;
let chen: Page;
let morgan: Locator;

const sessionTab = (page: Page, customer: string) =>
  page.getByRole('tab', { name: new RegExp(`^${customer}`) });
const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

describe('Teams tab: a session from hand-over to reopen', () => {
  beforeAll(async () => {
    ({ server, browser, agent: alex } = await serverWithAlex());
    chen = (await newPage(browser, 'chen')).page;
    await signIn(chen, server.url, 'Chen Wei');
    morgan = await customerAsksForAPerson(browser, server.url, 'Morgan Diaz');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('counts the wait of a customer the bot just handed over, until a person answers', async () => {
    const session = await acceptOffer(alex, 'Morgan Diaz');
    await session.getByText(/connecting you with an agent/).waitFor();
    const waiting = sessionTab(alex, 'Morgan Diaz').getByTestId('reply-wait');
    await waiting.waitFor();
    expect(await waiting.textContent()).toMatch(/^Waiting for a reply: /);
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill('Hi Morgan, Alex here.');
    await composer.press('Enter');
    await expect.poll(() => waiting.count()).toBe(0);
  }, 90_000);

  it('says so above the message box, keeping the draft, when Switchboard cannot be reached', async () => {
    const session = alex.getByRole('region', { name: 'Session with Morgan Diaz' });
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    const text = 'Let me check your line, one moment.';
    const messages = '**/api/v1/conversations/*/messages';
    await alex.route(messages, (route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue(),
    );
    try {
      await composer.fill(text);
      await composer.press('Enter');
      const problem = session.getByTestId('problem').filter({ hasText: "Couldn't reach Switchboard" });
      // The tab sends again for up to half a minute first (send-once.ts), saying it is sending.
      await session.getByRole('button', { name: 'Sending…' }).waitFor();
      await problem.waitFor({ timeout: 40_000 });
      expect(await problem.textContent()).toContain('Your message is kept; send it again.');
      expect(await session.getByText('Failed to fetch').count()).toBe(0);
      expect(await composer.inputValue()).toBe(text);
      // Where the agent is looking: just above the message box.
      const bar = (await problem.boundingBox())!;
      const box = (await composer.boundingBox())!;
      expect(bar.y + bar.height).toBeLessThanOrEqual(box.y + 1);
      expect(box.y - (bar.y + bar.height)).toBeLessThan(40);
      expect(await seriousViolations(alex)).toEqual([]);
      await problem.getByRole('button', { name: 'Dismiss' }).click();
      await expect.poll(() => problem.count()).toBe(0);
    } finally {
      await alex.unroute(messages);
    }
    await composer.press('Enter');
    await morgan.locator('.sb-msg-them', { hasText: text }).waitFor({ timeout: 20_000 });
    // The customer may read it before the server's answer reaches the tab and clears the box.
    await expect.poll(() => composer.inputValue()).toBe('');
    expect(await morgan.locator('.sb-msg-them', { hasText: text }).count()).toBe(1);
  }, 90_000);

  it('brings the session back to life when the chat comes back to the agent', async () => {
    await setPresence(chen, /^Available$/);
    const session = alex.getByRole('region', { name: 'Session with Morgan Diaz' });
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill('/t chen');
    await session.getByRole('option', { name: /Chen Wei/ }).waitFor();
    await composer.press('Enter');
    await session.getByText(/Transferred to Chen Wei/).waitFor();
    // The message box went with the hand-over: the keyboard is on what is left to do.
    await expect.poll(() => isFocused(session.getByRole('button', { name: 'Close session' }))).toBe(true);

    const chenSession = await acceptOffer(chen, 'Morgan Diaz');
    await customerSays(morgan, 'Is anyone still there?');
    await chenSession.getByText('Is anyone still there?').waitFor();
    const chenComposer = chenSession.getByRole('combobox', { name: 'Message to the customer' });
    await chenComposer.fill('/t alex');
    await chenSession.getByRole('option', { name: /Alex Rivera/ }).waitFor();
    await chenComposer.press('Enter');
    await chenSession.getByText(/Transferred to Alex Rivera/).waitFor();

    await acceptOffer(alex, 'Morgan Diaz');
    // Alex's again: live, with what Morgan said meanwhile, and the message box ready.
    await expect.poll(() => session.getByTestId('session-status').textContent()).toBe('Active');
    expect(await session.getByText(/You are no longer on this conversation/).count()).toBe(0);
    await session.getByRole('log', { name: 'Transcript' }).getByText('Is anyone still there?').waitFor();
    await expect.poll(() => isFocused(composer)).toBe(true);
    await expect.poll(() => sessionTab(alex, 'Morgan Diaz').textContent()).not.toMatch(/Transferred/);
    await composer.fill('Yes, I am back with you, Morgan.');
    await composer.press('Enter');
    await morgan.locator('.sb-msg-them', { hasText: 'I am back with you' }).waitFor({ timeout: 20_000 });
  }, 120_000);

  it('drives the slash commands as a combobox, its list within reach of the keyboard', async () => {
    const session = alex.getByRole('region', { name: 'Session with Morgan Diaz' });
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    expect(await composer.getAttribute('aria-expanded')).toBe('false');
    await composer.fill('/q');
    const list = session.getByRole('listbox', { name: 'Quick replies' });
    await list.getByRole('option').first().waitFor();
    expect(await composer.getAttribute('aria-expanded')).toBe('true');
    expect(await composer.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    const active = async () => list.locator(`[id="${await composer.getAttribute('aria-activedescendant')}"]`);
    expect(await (await active()).getAttribute('aria-selected')).toBe('true');
    await composer.press('ArrowDown');
    expect(await (await active()).textContent()).toBe(
      await list.getByRole('option', { selected: true }).textContent(),
    );
    expect(await seriousViolations(alex)).toEqual([]);
    // The list scrolls: a keyboard reaches it too, and the same keys work there.
    await composer.press('Tab');
    await expect.poll(() => isFocused(list)).toBe(true);
    await alex.keyboard.press('ArrowUp');
    expect(await list.getAttribute('aria-activedescendant')).toBe(
      await list.getByRole('option').first().getAttribute('id'),
    );
    await alex.keyboard.press('Escape');
    await expect.poll(() => isFocused(composer)).toBe(true);
    expect(await composer.getAttribute('aria-expanded')).toBe('false');
    await composer.fill('');
  }, 60_000);

  it('lists the session by its queue, counts what came meanwhile, and points down to it in the transcript', async () => {
    // (A tab draws its label twice, one copy hidden, to keep its width when selected: hence `first`.)
    const entry = sessionTab(alex, 'Morgan Diaz');
    expect(await entry.getByTestId('session-subtitle').first().textContent()).toBe('Technical support');
    await alex.keyboard.press('Alt+Shift+Digit0');
    await customerSays(morgan, 'My router shows a red light.');
    await customerSays(morgan, 'And the phone line is dead too.');
    await expect.poll(() => entry.getByTestId('unread-count').first().textContent()).toBe('2');
    expect(await entry.textContent()).toContain('2 new messages');
    expect(await seriousViolations(alex)).toEqual([]);
    await entry.click();
    await expect.poll(() => entry.getByTestId('unread-count').count()).toBe(0);

    const session = alex.getByRole('region', { name: 'Session with Morgan Diaz' });
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    const log = session.getByRole('log', { name: 'Transcript' });
    // Enough said that the transcript scrolls.
    for (let i = 1; log && !(await log.evaluate((el) => el.scrollHeight > el.clientHeight * 2)); i++) {
      await composer.fill(`Checking step ${i} of the line test.\nStill checking.\nNearly there.`);
      await composer.press('Enter');
      await log.getByText(`Checking step ${i} of`).waitFor();
    }
    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    const newBelow = session.getByRole('button', { name: /^New messages/ });
    expect(await newBelow.count()).toBe(0);
    await customerSays(morgan, 'The light is green now!');
    await newBelow.waitFor();
    expect(await seriousViolations(alex)).toEqual([]);
    await newBelow.click();
    await expect.poll(() => newBelow.count()).toBe(0);
    await expect
      .poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight))
      .toBeLessThan(24);
    expect(await isFocused(log)).toBe(true);
    await log.getByText('The light is green now!').waitFor();
  }, 90_000);

  it('keeps the keyboard on the next step as the agent ends, closes and reopens the chat', async () => {
    const session = alex.getByRole('region', { name: 'Session with Morgan Diaz' });
    await session.getByRole('button', { name: 'End conversation' }).click();
    const disposition = session.getByRole('combobox', { name: 'Disposition' });
    await expect.poll(() => isFocused(disposition)).toBe(true);

    await session.getByRole('button', { name: 'Close with wrap-up' }).click();
    await expect.poll(() => session.getByTestId('session-status').textContent()).toBe('Closed');
    await expect.poll(() => isFocused(session.getByRole('button', { name: 'Close session' }))).toBe(true);

    // Alt+Shift+0 goes to the dashboard, and so does the keyboard.
    await alex.keyboard.press('Alt+Shift+Digit0');
    await expect.poll(() => isFocused(alex.getByRole('heading', { name: 'Dashboard', level: 2 }))).toBe(true);

    await alex.getByRole('tab', { name: /Closed in the last 24 hours/ }).click();
    await alex.getByRole('button', { name: 'Reopen Morgan Diaz' }).click();
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await expect.poll(() => isFocused(composer)).toBe(true);
  }, 90_000);
});
