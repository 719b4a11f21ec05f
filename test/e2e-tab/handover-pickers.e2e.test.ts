/**
 * Whom a chat can go to, in the tab against the real server: the /c and /t lists show each colleague's
 * presence in words and those the server would refuse disabled with why; a consult ask names who
 * asked; the supervisor's alert names the customer and queue, once per conversation, with Monitor and
 * Dismiss; the Force close dialog submits on Enter and gives the keyboard back to the row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  customerSays,
  newPage,
  serverWithAlex,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let alex: Page;
let sam: Page;
let customer: Locator;
let session: Locator;
let composer: Locator;

describe('Teams tab: consult, transfer and assign lists, alerts, force close', () => {
  beforeAll(async () => {
    ({ server, browser, agent: alex } = await serverWithAlex());
    await server.services.router.presence.set('agent_chen', 'offline');
    await server.services.router.presence.set('supervisor_sam', 'busy-dnd');
    sam = (await newPage(browser, 'supervisor')).page;
    await signIn(sam, server.url, 'Sam Morgan');
    await sam.getByRole('tab', { name: 'Supervisor' }).click();
    customer = await customerAsksForAPerson(browser, server.url, 'Jordan Lee');
    session = await acceptOffer(alex, 'Jordan Lee');
    composer = session.getByRole('combobox', { name: 'Message to the customer' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('tells the supervisor they can be consulted in Do not disturb without being offered customers', async () => {
    const now = sam.getByTestId('reachability-now');
    await expect
      .poll(() => now.textContent())
      .toBe('You are Do not disturb: colleagues can consult you; no customers are offered to you.');
    await sam.getByRole('switch', { name: 'Offer me Technical support customers' }).waitFor();
  }, 30_000);

  it('lists an offline colleague in /c as not consultable, in words, and does not consult them', async () => {
    await composer.fill('/c ');
    const list = session.getByRole('listbox', { name: 'Consult a colleague' });
    const chen = list.getByRole('option', { name: /Chen Wei/ });
    await chen.waitFor();
    expect(await chen.getAttribute('aria-disabled')).toBe('true');
    expect(await chen.textContent()).toContain('Offline · Agent');
    expect(await chen.textContent()).toContain('Cannot take it: Only someone signed in');
    // Those who can be consulted come first; Sam in Do not disturb is one.
    const first = list.getByRole('option').first();
    expect(await first.getAttribute('aria-disabled')).toBeNull();
    const samOption = list.getByRole('option', { name: /Sam Morgan/ });
    expect(await samOption.textContent()).toContain('Do not disturb · Supervisor');
    expect(await samOption.getAttribute('aria-disabled')).toBeNull();
    await chen.click({ force: true });
    await session.getByRole('alert').filter({ hasText: 'Chen Wei cannot take it' }).waitFor();
    expect(await session.getByText('Chen Wei invited').count()).toBe(0);
  }, 60_000);

  it('names who asked for a consult and on which chat', async () => {
    await composer.fill('/c sam');
    await session.getByRole('option', { name: /Sam Morgan/ }).waitFor();
    await composer.press('Enter');
    const ask = sam.getByTestId('consult-toast');
    await ask.waitFor({ timeout: 30_000 });
    expect(await ask.getByRole('heading').textContent()).toBe('Alex Rivera asked you to consult');
    expect(await ask.textContent()).toContain('On the chat with Jordan Lee (Technical support)');
    await expect
      .poll(() =>
        sam
          .getByRole('status')
          .filter({ hasText: 'Alex Rivera asked you to consult on the chat with Jordan Lee' })
          .count(),
      )
      .toBe(1);
    await ask.getByRole('button', { name: 'Later' }).click();
  }, 60_000);

  it('lists an Away colleague in /t as unable to take a transfer, with why', async () => {
    await composer.fill('/t emma');
    const emma = session.getByRole('option', { name: /Emma Larsen/ });
    await emma.waitFor();
    expect(await emma.getAttribute('aria-disabled')).toBe('true');
    expect(await emma.textContent()).toContain('Away · Agent');
    expect(await emma.textContent()).toContain('A transfer goes to someone Available or Busy');
    await composer.fill('');
  }, 30_000);

  it('shows one named alert per conversation, with Monitor and Dismiss', async () => {
    await customerSays(customer, 'This is terrible, awful service, I am furious and angry!');
    const alerts = sam.getByRole('list', { name: 'Alerts' });
    const banner = alerts.getByRole('listitem');
    await banner
      .filter({ hasText: /Jordan Lee in Technical support is (very |slightly )?negative/ })
      .waitFor({
        timeout: 30_000,
      });
    await customerSays(customer, 'Still terrible. Worst, useless, I hate this, furious!');
    expect(await banner.count()).toBe(1);
    await banner.getByRole('button', { name: 'Monitor' }).waitFor();
    await banner.getByRole('button', { name: 'Dismiss the alert about Jordan Lee' }).click();
    await expect.poll(() => banner.count()).toBe(0);
  }, 90_000);

  it('counts on the wallboard as routing offers, and says what each column counts', async () => {
    // Busy still gets offers in the demo's work streams: Farah has room for a chat.
    await server.services.router.presence.set('agent_farah', 'busy');
    const cell = (metric: string) =>
      sam.locator(`[data-testid="wallboard"] tr[data-queue="Technical support"] [data-metric="${metric}"]`);
    await expect.poll(() => cell('agentsAvailable').textContent(), { timeout: 20_000 }).toBe('2');
    expect(await cell('agentsOnContact').textContent()).toBe('1');
    const header = sam.getByRole('columnheader', { name: 'With room for a chat' });
    expect(await header.getAttribute('title')).toMatch(/routing would offer/);
    const definitions = sam.getByRole('definition');
    expect(await definitions.count()).toBe(5);
    expect(
      await sam.getByRole('heading', { name: 'Agents and waiting customers per queue, now' }).count(),
    ).toBe(1);
  }, 60_000);

  it('lists in Assign who can take it first and the others disabled with why', async () => {
    const row = sam.locator('tr', { hasText: 'Jordan Lee' });
    await row.getByRole('button', { name: 'Actions for Jordan Lee' }).click();
    await sam.getByRole('menuitem', { name: 'Assign…' }).click();
    const dialog = sam.getByRole('dialog', { name: 'Assign Jordan Lee' });
    const emma = dialog.locator('option', { hasText: 'Emma Larsen' });
    await emma.waitFor({ state: 'attached' });
    expect(await emma.textContent()).toBe('Emma Larsen — Away: A transfer goes to someone Available or Busy');
    expect(await emma.isDisabled()).toBe(true);
    expect(await dialog.locator('option', { hasText: 'Alex Rivera' }).count()).toBe(0);
    // A live chat is assigned as a transfer is made: the list is not its queue's people alone.
    expect(await dialog.getByText('People of any queue that takes this kind of chat').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => sam.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Actions for Jordan Lee');
  }, 60_000);

  it('force closes on Enter in the reason, and the keyboard goes back to the board', async () => {
    const actions = sam.getByRole('button', { name: 'Actions for Jordan Lee' });
    await actions.click();
    await sam.getByRole('menuitem', { name: 'Force close…' }).click();
    const dialog = sam.getByRole('dialog', { name: 'Force close Jordan Lee?' });
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('Abusive language');
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await sam.getByRole('status').filter({ hasText: 'Closed Jordan Lee' }).waitFor();
    await session
      .getByText('Sam Morgan closed the conversation: Abusive language.')
      .waitFor({ timeout: 20_000 });
    // On the row's Actions while it is there, on the board's heading once it has gone.
    await expect
      .poll(() =>
        sam.evaluate(() => {
          const el = document.activeElement;
          return el?.getAttribute('aria-label') ?? el?.id;
        }),
      )
      .toMatch(/^(Actions for Jordan Lee|ongoing-title)$/);
  }, 60_000);
});
