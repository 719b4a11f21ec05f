/**
 * An agent lets an offer run out (the web chat's offer time is cut to a few seconds), in headless
 * Chromium against the real server: the toast goes, the tab says why their presence is now Away,
 * and "I'm available" brings them back, and the waiting customer with them. Signing out leaves the
 * agent Offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_IDS } from '../../services/demo/demo-ids.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  customerAsksForAPerson,
  ensureWebBuilt,
  launch,
  newPage,
  seriousViolations,
  setPresence,
  shownPresence,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;

describe('Teams tab: a missed offer', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    await server.services.repos.workstreams.update(DEMO_IDS.workstreams.webchat, { offerTimeoutSeconds: 3 });
    await server.services.router.reload();
    // Sam starts the demo Available; away, the offer can only go to Alex.
    await server.services.router.presence.set('supervisor_sam', 'away');
    browser = await launch();
    agent = (await newPage(browser, 'agent')).page;
    await signIn(agent, server.url, 'Alex Rivera');
    await setPresence(agent, /^Available$/);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("says why the agent is Away after an offer ran out, and 'I'm available' brings the offer back", async () => {
    await customerAsksForAPerson(browser, server.url, 'Jordan Lee');
    const toast = agent.getByTestId('offer-toast').filter({ hasText: 'Jordan Lee' });
    await toast.waitFor({ timeout: 30_000 });

    const notice = agent.getByText('You missed an offer', { exact: true });
    await notice.waitFor({ timeout: 20_000 });
    await expect.poll(() => toast.count()).toBe(0);
    await expect.poll(() => shownPresence(agent)).toBe('Away');
    expect(await seriousViolations(agent)).toEqual([]);

    await agent.getByRole('button', { name: "I'm available" }).click();
    await expect.poll(() => shownPresence(agent)).toBe('Available');
    await expect.poll(() => notice.count()).toBe(0);
    // The customer still waits, and comes back to the one agent there is.
    await toast.waitFor({ timeout: 30_000 });
  }, 90_000);

  it('signs the agent out Offline, so nobody is offered to someone who left', async () => {
    const before = await server.services.repos.agents.get('agent_alex');
    expect(before?.chosenPresence).not.toBe('offline');
    await agent.getByRole('button', { name: 'Sign out' }).click();
    await agent.getByRole('button', { name: 'Sign in as Alex Rivera' }).waitFor();
    const after = await server.services.repos.agents.get('agent_alex');
    expect(after).toMatchObject({ chosenPresence: 'offline', presence: 'offline' });
  }, 30_000);
});
