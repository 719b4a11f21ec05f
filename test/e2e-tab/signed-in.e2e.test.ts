/**
 * Whether the customer is who they say, as the agent reads it in headless Chromium against the real
 * server: a chat the site signed its customer in to shows them verified, with the site's name and
 * e-mail; a page that only claims its visitor is signed in is shown as exactly that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CHAT_AUTH_SECRET,
  chatAsksForAPerson,
  signChatToken,
  widgetToken,
} from '../api/support/signed-in.js';
import type { TestServer } from '../support/server.js';
import { acceptOffer, seriousViolations, serverWithAlex } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;

/** The customer card's "Signed in" line of the session with `name`. */
async function signedInLine(name: string) {
  const session = await acceptOffer(agent, name);
  const card = session.locator('dl').filter({ hasText: 'Name' }).first();
  const line = card.locator('dt:has-text("Signed in") + dd');
  await line.waitFor();
  return { session, card, line };
}

describe('Teams tab: who the customer is', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex({ CHAT_AUTH_SECRET }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a customer the site signed in as verified, with what the site knows', async () => {
    const token = await signChatToken({ name: 'Jordan Lee', email: 'jordan@northwind.example' });
    const widget = await widgetToken(server.url, { authToken: token });
    await chatAsksForAPerson(server.url, widget.body.token as string, 'Jordan Lee');
    const { card, line } = await signedInLine('Jordan Lee');
    await expect.poll(() => line.textContent()).toBe('Verified by the site (customer cust-1001)');
    await expect
      .poll(() => card.locator('dt:has-text("Email") + dd').textContent())
      .toBe('jordan@northwind.example');
    expect(await seriousViolations(agent)).toEqual([]);
  }, 120_000);

  it("shows a page's own claim as unverified", async () => {
    const widget = await widgetToken(server.url, {});
    await chatAsksForAPerson(server.url, widget.body.token as string, 'Mallory Ames', {
      authenticated: true,
    });
    const { line } = await signedInLine('Mallory Ames');
    await expect.poll(() => line.textContent()).toBe('The page says so; not verified');
  }, 120_000);
});
