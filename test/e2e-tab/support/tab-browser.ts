/** Chromium pages for the agent tab tests: the customer's widget page, agents' tabs, axe scans. */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { foreignRequests, launchChromium, recordedPage } from '../../support/chromium.js';
import { startTestServer } from '../../support/server.js';
import { ensureWebBuilt } from '../../support/web-build.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = path.join(ROOT, 'test-results/e2e-tab');
/** README pictures are refreshed only when asked (SAVE_README_SCREENSHOTS=1), so test runs leave git clean. */
const README_SHOTS = path.join(ROOT, 'docs/screenshots');

export { launchChromium as launch } from '../../support/chromium.js';
export { seriousViolations } from '../../support/axe.js';
export { ensureWebBuilt } from '../../support/web-build.js';

export type { RecordedPage as Recorded } from '../../support/chromium.js';

/** A fresh context (own storage) whose every request and WebSocket is recorded. */
export const newPage = (browser: Browser, name: string) =>
  recordedPage(browser, { width: 1440, height: 900 }, name);

/** The requests that went anywhere but the server under test. */
export const foreign = (requests: string[], serverUrl: string) =>
  foreignRequests(requests, new URL(serverUrl).host);

export async function screenshot(page: Page, name: string, readme = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (readme && process.env.SAVE_README_SCREENSHOTS === '1') {
    mkdirSync(README_SHOTS, { recursive: true });
    copyFileSync(file, path.join(README_SHOTS, `${name}.png`));
  }
}

/** Signs in through the dev-mode picker and waits for the live stream. */
export async function signIn(page: Page, serverUrl: string, agentName: string): Promise<void> {
  await page.goto(`${serverUrl}/tab/?theme=light`);
  await page.getByRole('button', { name: `Sign in as ${agentName}` }).click();
  await page.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
}

export async function setPresence(page: Page, label: RegExp): Promise<void> {
  const choice = page.getByRole('combobox', { name: 'Presence' });
  // Already so: choosing it again changes nothing and announces nothing (an earlier announcement
  // may have gone from the status line by now).
  if (label.test(((await choice.textContent()) ?? '').trim())) return;
  await choice.click();
  const option = page.getByRole('listbox').getByRole('option', { name: label });
  const wanted = ((await option.textContent()) ?? '').trim();
  await option.click();
  await page
    .getByRole('status')
    .filter({ hasText: `Presence set to ${wanted}` })
    .waitFor();
}

/** The presence the control shows as chosen. */
export async function shownPresence(page: Page): Promise<string> {
  return ((await page.getByRole('combobox', { name: 'Presence' }).textContent()) ?? '').trim();
}

/** Goes Available and accepts `customer`'s offer; resolves with the session once it is open. */
export async function acceptOffer(page: Page, customer: string): Promise<Locator> {
  await setPresence(page, /Available/);
  await page
    .getByTestId('offer-toast')
    .filter({ hasText: customer })
    .getByRole('button', { name: 'Accept' })
    .click();
  const session = page.getByRole('region', { name: `Session with ${customer}` });
  await session.waitFor();
  return session;
}

export async function setTheme(page: Page, label: 'Light' | 'High contrast' | 'Dark'): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('menuitemradio', { name: label, exact: true }).click();
  await page.keyboard.press('Escape');
  const expected = { Light: 'light', 'High contrast': 'contrast', Dark: 'dark' }[label];
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, expected);
}

/** The customer on the demo portal: opens the widget, answers the pre-chat form. */
export async function customerStartsChat(page: Page, serverUrl: string, name: string): Promise<Locator> {
  await page.goto(`${serverUrl}/`);
  await page.getByRole('button', { name: /Open chat/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
  const survey = dialog.locator('form.sb-form').filter({ hasText: 'Your details' });
  await survey.waitFor({ timeout: 30_000 });
  for (const field of await survey.locator('.sb-field').all()) {
    const label = (await field.locator('label').textContent()) ?? '';
    const select = field.locator('select');
    if (await select.count()) {
      // "Internet outage": the technical support queue.
      const options = await select.locator('option').allTextContents();
      await select.selectOption({ label: options[1]! });
      continue;
    }
    const answer = /mail/i.test(label)
      ? `${name.split(' ')[0]!.toLowerCase()}@example.com`
      : /name/i.test(label)
        ? name
        : 'The internet is down since this morning';
    await field.locator('input').fill(answer);
  }
  await survey.getByRole('button', { name: 'Start chat' }).click();
  await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 30_000 });
  return dialog;
}

export async function customerSays(dialog: Locator, text: string): Promise<void> {
  const input = dialog.getByRole('textbox', { name: 'Type your message' });
  await input.fill(text);
  await input.press('Enter');
  await dialog.locator('.sb-msg-me', { hasText: text }).waitFor();
}

/** A customer on the demo page, in a browser context of their own, who answered the form and asked for a person. */
export async function customerAsksForAPerson(
  browser: Browser,
  serverUrl: string,
  name: string,
  words = 'The internet is down. I want to talk to a person.',
): Promise<Locator> {
  const chat = await customerStartsChat((await newPage(browser, name)).page, serverUrl, name);
  await customerSays(chat, words);
  return chat;
}

/**
 * The real server (with `env`), the demo's other technical-support people Away so offers come to
 * Alex, and Chromium with Alex signed in to the tab.
 */
export async function serverWithAlex(env: Record<string, string> = {}) {
  ensureWebBuilt();
  const server = await startTestServer({ env });
  for (const other of ['supervisor_sam', 'agent_emma', 'agent_farah', 'agent_chen'])
    await server.services.router.presence.set(other, 'away');
  const browser = await launchChromium();
  const agent = (await newPage(browser, 'agent')).page;
  await signIn(agent, server.url, 'Alex Rivera');
  return { server, browser, agent };
}
