/**
 * An agent works a returning customer's case from the session's case card, in headless Chromium
 * against the real server, by keyboard: the customer's earlier case is picked by its number, linked
 * (the chat says so), edited, resolved with a resolution, reactivated and cancelled with a reason;
 * the card shows its status, number, owner and history all along.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  seriousViolations,
  serverWithAlex,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;

const shown = (card: Locator, term: string) => card.locator(`dt:text-is("${term}") + dd`);

/** Takes the keyboard to `button` and presses Enter on it. */
async function pressButton(button: Locator): Promise<void> {
  await button.focus();
  await agent.keyboard.press('Enter');
}

describe('Teams tab: the case card', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('links, edits, resolves, reactivates and cancels a case by keyboard, its history on the card', async () => {
    await customerAsksForAPerson(browser, server.url, 'Jordan Lee');
    // Jordan had a case before this chat: opened before cases named who opened them.
    const { repos } = server.services;
    let customerId: string | undefined;
    await expect
      .poll(async () => {
        for (const c of await repos.conversations.find({ status: ['waiting', 'offered'] })) {
          if ((await repos.customers.get(c.customerId))?.name === 'Jordan Lee') customerId = c.customerId;
        }
        return customerId;
      })
      .toBeDefined();
    const earlier = await repos.cases.create({ customerId: customerId!, title: 'Earlier outage' });
    const session = await acceptOffer(agent, 'Jordan Lee');

    // The picker and the recent cases name it by its number.
    const named = `${earlier.number} · Earlier outage`;
    const picker = session.getByRole('combobox', { name: 'Existing case' });
    await picker.locator('option', { hasText: named }).waitFor({ state: 'attached' });
    await session
      .getByRole('list', { name: 'Recent cases' })
      .getByRole('listitem')
      .filter({ hasText: named })
      .waitFor();
    await picker.selectOption({ label: named });
    await pressButton(session.getByRole('button', { name: 'Link case' }));

    const card = session.locator('dl').filter({ has: agent.locator('dt:text-is("Number")') });
    await expect.poll(() => shown(card, 'Number').textContent()).toBe(earlier.number);
    const history = session.getByRole('list', { name: 'Case history' });
    await history
      .getByRole('listitem')
      .filter({ hasText: 'Alex Rivera linked it to this conversation' })
      .waitFor();
    await session
      .getByRole('log', { name: 'Transcript' })
      .getByText(`Linked case ${earlier.number}: Earlier outage`)
      .waitFor();

    // Edit: the keyboard lands in the title and goes back to Edit once saved.
    await pressButton(session.getByRole('button', { name: 'Edit' }));
    const title = session.getByRole('textbox', { name: 'Title' });
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    await title.fill('Outage in the whole street');
    await agent.keyboard.press('Enter');
    await expect.poll(() => shown(card, 'Case').textContent()).toBe('Outage in the whole street');
    await history.getByRole('listitem').filter({ hasText: 'Alex Rivera changed the title' }).waitFor();
    await expect
      .poll(() =>
        session.getByRole('button', { name: 'Edit' }).evaluate((el) => el === document.activeElement),
      )
      .toBe(true);

    // Resolve, with a resolution.
    await pressButton(session.getByRole('button', { name: 'Resolve' }));
    await agent.keyboard.type('Field crew spliced the fibre');
    await agent.keyboard.press('Tab');
    await agent.keyboard.press('Enter');
    await expect.poll(() => shown(card, 'Status').textContent()).toBe('Resolved');
    expect(await shown(card, 'Resolution').textContent()).toBe('Field crew spliced the fibre');
    expect(await session.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await history
      .getByRole('listitem')
      .filter({ hasText: 'resolved it: Field crew spliced the fibre' })
      .waitFor();

    // Reactivate, which has the keyboard now that Resolve is gone.
    const reactivate = session.getByRole('button', { name: 'Reactivate' });
    await expect.poll(() => reactivate.evaluate((el) => el === document.activeElement)).toBe(true);
    await agent.keyboard.press('Enter');
    await expect.poll(() => shown(card, 'Status').textContent()).toBe('Active');

    // Cancel, with a reason.
    await pressButton(session.getByRole('button', { name: 'Cancel case' }));
    await agent.keyboard.type('Opened twice');
    await agent.keyboard.press('Tab');
    await agent.keyboard.press('Enter');
    await expect.poll(() => shown(card, 'Status').textContent()).toBe('Cancelled');
    expect(await shown(card, 'Cancelled because').textContent()).toBe('Opened twice');
    expect(
      (await history.getByRole('listitem').allTextContents()).map((t) => /Alex Rivera (\w+)/.exec(t)?.[1]),
    ).toEqual(['cancelled', 'reactivated', 'resolved', 'changed', 'linked']);

    // A supervisor reactivates it meanwhile: Alex's Reactivate is refused, and the card shows the
    // case as it is now, with what may be done to it.
    const signedIn = await fetch(`${server.url}/api/v1/dev/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ agentId: 'supervisor_sam' }),
    });
    const { token } = (await signedIn.json()) as { token: string };
    const bySam = await fetch(`${server.url}/api/v1/cases/${earlier.id}/reactivate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(bySam.status).toBe(200);
    await pressButton(session.getByRole('button', { name: 'Reactivate' }));
    await expect.poll(() => shown(card, 'Status').textContent()).toBe('Active');
    await session.getByRole('button', { name: 'Resolve' }).waitFor();
    expect(await seriousViolations(agent)).toEqual([]);
  }, 120_000);
});
