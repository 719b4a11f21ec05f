/**
 * Customers who write in other scripts, in headless Chromium against the real server: a Hebrew
 * message reads right to left in the offer and the transcript, beside English that reads left to
 * right, and what the agent types in Arabic runs right to left in the message box and the notes.
 * A customer named in Devanagari gets a transcript file named with the whole of their name, and a
 * terminal escape they typed does not reach the file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Activity } from 'botframework-directlinejs';
import { customerPastSurvey } from '../api/support/live-conversation.js';
import type { Customer } from '../api/support/clients.js';
import type { TestServer } from '../support/server.js';
import { acceptOffer, serverWithAlex } from './support/tab-browser.js';

const HEBREW = 'האינטרנט לא עובד כבר 3 ימים, מספר לקוח 4521. מה לעשות?';
const ARABIC = 'مرحبا، سأتحقق من الخط الآن';

let server: TestServer;
let browser: Browser;
let agent: Page;
const customers: Customer[] = [];

const direction = (element: Locator) => element.evaluate((e) => getComputedStyle(e).direction);

async function customerSays(userId: string, name: string, ...texts: string[]): Promise<void> {
  const chat = await customerPastSurvey(server.url, { userId, name }, 'Internet outage');
  customers.push(chat);
  for (const text of texts) await chat.post({ type: 'message', text } as Partial<Activity>);
}

describe("Teams tab: customers' own scripts", () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
  }, 180_000);

  afterAll(async () => {
    for (const c of customers) c.end();
    await browser?.close();
    await server?.close();
  });

  it('reads Hebrew right to left in the offer and the transcript, and Arabic typed by the agent', async () => {
    await customerSays('dl_david', 'דוד כהן', HEBREW, 'I want to talk to an agent');
    const toast = agent.getByTestId('offer-toast').filter({ hasText: 'דוד כהן' });
    await toast.waitFor({ timeout: 30_000 });
    expect(await direction(toast.locator('blockquote', { hasText: HEBREW }))).toBe('rtl');

    const session = await acceptOffer(agent, 'דוד כהן');
    const log = session.getByRole('log', { name: 'Transcript' });
    const hebrew = log.locator('li[data-from="customer"]', { hasText: HEBREW }).getByText(HEBREW);
    const english = log
      .locator('li[data-from="customer"]', { hasText: 'I want to talk to an agent' })
      .getByText('I want to talk to an agent');
    expect(await direction(hebrew)).toBe('rtl');
    expect(await direction(english)).toBe('ltr');

    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill(ARABIC);
    expect(await direction(composer)).toBe('rtl');
    await composer.fill('One moment please');
    expect(await direction(composer)).toBe('ltr');
    const note = session.getByRole('textbox', { name: 'New note on this conversation' });
    await note.fill(ARABIC);
    expect(await direction(note)).toBe('rtl');
  }, 120_000);

  it('names the transcript file with the whole Devanagari name and keeps terminal escapes out of it', async () => {
    const name = 'अनन्या शर्मा';
    await customerSays('dl_ananya', name, 'my internet is down\u001b[2J\u001b[H please help', 'agent');
    const session = await acceptOffer(agent, name);
    await session
      .getByRole('log', { name: 'Transcript' })
      .getByText(/please help/)
      .waitFor();
    const download = agent.waitForEvent('download');
    await session.getByRole('button', { name: /Download transcript/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^transcript-अनन्या-शर्मा-\d{4}-\d{2}-\d{2}\.txt$/);
    const text = readFileSync((await file.path())!, 'utf8');
    // The server keeps escapes out of what it stores; the file's own guard is in transcript-text.test.ts.
    expect(text).toContain('my internet is down please help');
    // eslint-disable-next-line no-control-regex -- no control character but tab and line break
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  }, 120_000);
});
