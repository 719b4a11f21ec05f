/**
 * What a screen reader hears and where the keyboard is in the agent tab, in headless Chromium
 * against the real server: the view's heading after signing in; a presence chosen, not set on each
 * arrow key; the keyboard back where it was after an offer is rejected or runs out, and after the
 * sign-out question is put away; a chat's history not read out when it opens, what comes after it
 * read; news of a session behind another view said in one line; the session list readable in high
 * contrast under the pointer; and a transfer's list gone with the transfer when the chat ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_IDS } from '../../services/demo/demo-ids.js';
import type { TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  seriousViolations,
  serverWithAlex,
  setPresence,
  setTheme,
  shownPresence,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;
/** Cy Park's chat window, open from the history test on. */
let cy: Locator;

type Heard = { said: string[]; logged: string[] };

/**
 * Records what the live regions would pass on: each text the workspace's status line takes, and
 * each row added to a transcript while it is live (not `aria-live="off"`, not busy).
 */
async function listen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const heard: Heard = { said: [], logged: [] };
    (window as unknown as { heard: Heard }).heard = heard;
    new MutationObserver((changes) => {
      for (const c of changes) {
        const at = c.target instanceof Element ? c.target : c.target.parentElement;
        const status = at?.closest('[role="status"]');
        if (status?.textContent?.trim()) {
          const text = status.textContent.trim();
          if (heard.said.at(-1) !== text) heard.said.push(text);
        }
        const log = at?.closest('[role="log"]');
        if (log && log.getAttribute('aria-live') !== 'off' && log.getAttribute('aria-busy') !== 'true')
          for (const n of c.addedNodes) if (n.textContent?.trim()) heard.logged.push(n.textContent.trim());
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: Heard }).heard);
const said = async (page: Page) => (await heard(page)).said;

/** What has the keyboard: its tag, role and text, or "body". */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''} ${(
      el.getAttribute('aria-label') ??
      el.textContent ??
      ''
    ).trim()}`;
  });
const isFocused = (element: Locator) => element.evaluate((el) => el === document.activeElement);

async function customerEndsChat(chat: Locator): Promise<void> {
  await chat.getByRole('button', { name: 'End chat' }).click();
  await chat.getByRole('group', { name: 'End the chat?' }).getByRole('button', { name: 'End chat' }).click();
}

async function customerSaysQuickly(chat: Locator, words: string[]): Promise<void> {
  const input = chat.getByRole('textbox', { name: 'Type your message' });
  for (const w of words) {
    await input.fill(w);
    await input.press('Enter');
  }
  for (const w of words) await chat.locator('.sb-msg-me', { hasText: w }).waitFor();
}

/** Sets the web chat's offer time; answers what it was. */
async function offerTimeout(seconds: number | undefined): Promise<number | undefined> {
  const id = DEMO_IDS.workstreams.webchat;
  const was = (await server.services.repos.workstreams.get(id))?.offerTimeoutSeconds;
  await server.services.repos.workstreams.update(id, { offerTimeoutSeconds: seconds });
  await server.services.router.reload();
  return was;
}

describe('Teams tab: what a screen reader hears, where the keyboard is', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
    await listen(agent);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('puts the keyboard on the Dashboard heading once signed in', async () => {
    await expect.poll(() => focused(agent)).toBe('h2 Dashboard');
  }, 30_000);

  it('sets a presence when it is chosen, not on each arrow key on the way, and says so once', async () => {
    expect((await server.services.repos.agents.get('agent_alex'))?.chosenPresence).toBe('available');
    const presence = agent.getByRole('combobox', { name: 'Presence' });
    await presence.focus();
    const before = (await said(agent)).length;
    // Looking through the list (Available, Busy, Do not disturb) sets nothing; Enter sets the one
    // reached, and only that one is said.
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('Enter');
    await expect
      .poll(async () => (await said(agent)).slice(before))
      .toEqual(['Presence set to Do not disturb']);
    expect((await server.services.repos.agents.get('agent_alex'))?.chosenPresence).toBe('busy-dnd');
    expect(await shownPresence(agent)).toBe('Do not disturb');
    expect(await isFocused(presence)).toBe(true);
    await setPresence(agent, /^Available$/);
  }, 60_000);

  it('brings the keyboard back to where it was when an offer is rejected', async () => {
    const chat = await customerAsksForAPerson(browser, server.url, 'Bo Gray');
    const toast = agent.getByTestId('offer-toast').filter({ hasText: 'Bo Gray' });
    await toast.waitFor({ timeout: 30_000 });
    try {
      const dashboard = agent.getByRole('tab', { name: /^Dashboard/ });
      await dashboard.focus();
      await agent.keyboard.press('Alt+Shift+O');
      await expect.poll(() => isFocused(toast.getByRole('button', { name: 'Accept' }))).toBe(true);
      await agent.keyboard.press('Shift+Tab');
      await agent.keyboard.press('Enter');
      await expect.poll(() => toast.count()).toBe(0);
      await expect.poll(() => isFocused(dashboard)).toBe(true);
    } finally {
      // Bo leaves, so no offer of theirs comes back to run out.
      await customerEndsChat(chat);
    }
  }, 90_000);

  it('brings the keyboard back to where it was when an offer runs out', async () => {
    const was = await offerTimeout(4);
    try {
      const chat = await customerAsksForAPerson(browser, server.url, 'Ana Ruiz');
      const toast = agent.getByTestId('offer-toast').filter({ hasText: 'Ana Ruiz' });
      await toast.waitFor({ timeout: 30_000 });
      const settings = agent.getByRole('button', { name: 'Settings' });
      await settings.focus();
      await agent.keyboard.press('Alt+Shift+O');
      await expect.poll(() => isFocused(toast.getByRole('button', { name: 'Accept' }))).toBe(true);
      await expect.poll(() => toast.count(), { timeout: 20_000 }).toBe(0);
      await expect.poll(() => isFocused(settings)).toBe(true);
      await customerEndsChat(chat);
    } finally {
      await offerTimeout(was);
    }
    // Missed, the offer set Alex Away.
    await setPresence(agent, /^Available$/);
  }, 90_000);

  it('reads out what comes in a chat once it is open, not the history it opened with', async () => {
    cy = await customerAsksForAPerson(
      browser,
      server.url,
      'Cy Park',
      'My router keeps blinking red. I want to talk to a person.',
    );
    const chat = cy;
    const session = await acceptOffer(agent, 'Cy Park');
    const log = session.getByRole('log', { name: 'Transcript' });
    await log.getByText('keeps blinking red').waitFor();
    await expect.poll(() => log.getAttribute('aria-live')).toBe('polite');
    await chat.getByRole('textbox', { name: 'Type your message' }).fill('Hello? Anyone there?');
    await chat.getByRole('textbox', { name: 'Type your message' }).press('Enter');
    await expect
      .poll(async () => (await heard(agent)).logged.some((t) => t.includes('Anyone there?')))
      .toBe(true);
    expect((await heard(agent)).logged.filter((t) => t.includes('keeps blinking red'))).toEqual([]);
  }, 90_000);

  it('says in one line what a customer does in a chat behind another view, readable in high contrast', async () => {
    const session = agent.getByRole('region', { name: 'Session with Cy Park' });
    const chat = cy;
    // A transfer to a queue begun, its list open.
    await session.getByRole('button', { name: 'Transfer to a queue (/tq)' }).click();
    const queues = session.getByRole('listbox', { name: 'Transfer to a queue' });
    await queues.getByRole('option').first().waitFor();

    await agent.keyboard.press('Alt+Shift+0');
    await agent.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const before = (await said(agent)).length;
    await customerSaysQuickly(chat, ['One more thing', 'the light is orange now', 'and it clicks']);
    await expect
      .poll(async () => (await said(agent)).slice(before), { timeout: 10_000 })
      .toContain('3 new messages from Cy Park');
    expect((await said(agent)).slice(before).filter((t) => t.includes('Cy Park'))).toEqual([
      '3 new messages from Cy Park',
    ]);

    // The chat's entry says the customer waits; hovered in high contrast it stays readable.
    const entry = agent.getByRole('tab', { name: /^Cy Park/ });
    await entry.getByTestId('reply-wait').first().waitFor();
    await setTheme(agent, 'High contrast');
    await entry.hover();
    expect(await seriousViolations(agent, 'nav')).toEqual([]);
    await agent.getByRole('heading', { name: 'Dashboard' }).hover();
    await setTheme(agent, 'Light');

    const beforeLeaving = (await said(agent)).length;
    await customerEndsChat(chat);
    await expect
      .poll(async () => (await said(agent)).slice(beforeLeaving), { timeout: 20_000 })
      .toContain('Cy Park left the chat');

    // Gone to wrap-up, the chat transfers nowhere: the list of queues went with the transfer.
    await entry.click();
    await session.getByRole('button', { name: 'Close with wrap-up' }).waitFor();
    expect(await queues.count()).toBe(0);
    expect(await session.getByRole('textbox', { name: 'Handover note (optional)' }).count()).toBe(0);
  }, 90_000);

  it('brings the keyboard back to Sign out when the agent stays signed in', async () => {
    const signOut = agent.getByRole('button', { name: 'Sign out' });
    const question = agent.getByRole('alertdialog');
    await signOut.click();
    await question.waitFor();
    await agent.keyboard.press('Escape');
    await expect.poll(() => question.count()).toBe(0);
    await expect.poll(() => isFocused(signOut)).toBe(true);

    await signOut.click();
    await question.getByRole('button', { name: 'Stay signed in' }).click();
    await expect.poll(() => question.count()).toBe(0);
    await expect.poll(() => isFocused(signOut)).toBe(true);
  }, 30_000);
});
