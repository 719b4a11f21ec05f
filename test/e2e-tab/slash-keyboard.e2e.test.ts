/**
 * Slash commands worked from the keyboard at a typist's pace, in the tab against the real server:
 * Enter acts on the list for the words now typed, never on the one before; a command is never sent
 * to the customer as words; Escape closes a list until the text changes, from the handover note too;
 * a quick reply goes in where its command was, is announced, and Ctrl+Z takes it out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestServer } from '../support/server.js';
import { acceptOffer, customerAsksForAPerson, serverWithAlex } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let alex: Page;
let customer: Locator;
let session: Locator;
let composer: Locator;

/** As an agent types: 40 ms a key, under the pause after which the list asks the server again. */
const typeQuickly = (text: string) => composer.pressSequentially(text, { delay: 40 });
const list = () => session.getByRole('listbox');
const listTitle = () => list().getByRole('presentation').first().textContent();
const said = (words: string) => alex.getByRole('status').filter({ hasText: words });

/** Types `command` and waits for its list to be there, as the agent who then reads it. */
async function listFor(command: string): Promise<void> {
  await composer.fill('');
  await composer.pressSequentially(command);
  await expect.poll(listTitle).toMatch(/ found$/);
}

describe('Teams tab: slash commands from the keyboard', () => {
  beforeAll(async () => {
    ({ server, browser, agent: alex } = await serverWithAlex());
    customer = await customerAsksForAPerson(browser, server.url, 'Rita Repro');
    session = await acceptOffer(alex, 'Rita Repro');
    composer = session.getByRole('combobox', { name: 'Message to the customer' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('inserts the quick reply found for the words typed, even when Enter comes before the list', async () => {
    await listFor('/q');
    expect(await list().getByRole('option').first().textContent()).not.toContain('Closing');
    await typeQuickly(' closing');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toMatch(/^Thanks for chatting with Northwind Fiber, Rita/);
    await said('Inserted quick reply Closing').waitFor();
    // Ctrl+Z brings back the draft as it was before the command.
    await composer.press('Control+z');
    await expect.poll(() => composer.inputValue()).toBe('');
  });

  it('finds quick replies by their tags, as the server matches them', async () => {
    await listFor('/q wifi');
    const wifi = await list().getByRole('option').allTextContents();
    expect(wifi.some((o) => o.startsWith('Run a speed test'))).toBe(true);
    await listFor('/q cancel');
    expect(await list().getByRole('option').first().textContent()).toMatch(/^Equipment return/);
    await composer.fill('');
  });

  it('puts a quick reply under words already typed, and Ctrl+Z takes only it out', async () => {
    await composer.pressSequentially('Sorry for the wait.');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('/q hold');
    await list()
      .getByRole('option', { name: /Brief hold/ })
      .waitFor();
    await composer.press('Enter');
    await expect
      .poll(() => composer.inputValue())
      .toMatch(/^Sorry for the wait\.\nThanks for your patience, Rita/);
    await said('Inserted quick reply Brief hold').waitFor();
    await composer.press('Control+z');
    await expect.poll(() => composer.inputValue()).toBe('Sorry for the wait.\n');
    // The command's button, too, keeps the words typed.
    await composer.fill('Sorry for the wait.');
    await session.getByRole('button', { name: 'Quick replies (/q)' }).click();
    await expect.poll(() => composer.inputValue()).toBe('Sorry for the wait.\n/q ');
    await composer.fill('');
  });

  it('never sends a dismissed command to the customer, and opens its list again once the text changes', async () => {
    await listFor('/q greet');
    await composer.press('Escape');
    await expect.poll(() => list().count()).toBe(0);
    await composer.press('Enter');
    await list().waitFor();
    await said('is a command, not sent').waitFor();
    expect(await composer.inputValue()).toBe('/q greet');

    await composer.press('Escape');
    await expect.poll(() => list().count()).toBe(0);
    await composer.press('Backspace');
    await composer.pressSequentially('t');
    await list().waitFor();
    expect(await composer.getAttribute('aria-expanded')).toBe('true');

    await composer.fill('Let me check that for you.');
    await composer.press('Enter');
    await customer.locator('.sb-msg-them', { hasText: 'Let me check that for you.' }).waitFor();
    expect(await customer.getByText('/q greet').count()).toBe(0);
  }, 60_000);

  it('asks for words when /kb has none', async () => {
    await composer.fill('/kb');
    await expect.poll(listTitle).toBe('Search knowledge — type words to search the knowledge base');
    await composer.fill('');
  });

  it('closes a transfer list on Escape in the handover note, keeping the draft for the message box', async () => {
    await server.services.router.presence.set('agent_chen', 'available');
    await server.services.router.presence.set('agent_emma', 'available');
    await listFor('/t');
    const note = session.getByRole('textbox', { name: 'Handover note (optional)' });
    await note.fill('Router replaced already');
    await note.press('Escape');
    await expect.poll(() => list().count()).toBe(0);
    await expect
      .poll(() => alex.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Message to the customer');
    expect(await composer.inputValue()).toBe('/t');
    // The note was for that transfer: one begun afresh starts without it.
    await composer.fill('');
    await listFor('/t');
    expect(await note.inputValue()).toBe('');
  });

  it('transfers to the colleague typed, not the first of the list before, when Enter comes at once', async () => {
    await listFor('/t');
    expect(await list().getByRole('option').first().textContent()).not.toContain('Emma Larsen');
    await typeQuickly(' emma');
    await composer.press('Enter');
    await said('Transferred to Emma Larsen').waitFor();
    expect(await said('Transferred to Chen Wei').count()).toBe(0);
  });
});
