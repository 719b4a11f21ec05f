/**
 * A busy agent's closed list in headless Chromium against the real server: more chats closed in the
 * last day than one page holds, every one reachable for a reopen; in a frame whose browser refuses
 * it storage, as a Teams tab can be, the workspace still works and a choice lasts the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, signIn } from './support/tab-browser.js';

const CLOSED = 205;

let server: TestServer;
let browser: Browser;
let agent: Page;

describe('Teams tab: a long day of closed chats', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    const { repos } = server.services;
    const customer = await repos.customers.create({ name: 'Quinn Closed' });
    const now = Date.now();
    for (let i = 0; i < CLOSED; i++) {
      const at = new Date(now - (i + 1) * 60_000);
      await repos.conversations.create({
        channel: 'webchat',
        customerId: customer.id,
        workstreamId: 'ws_webchat',
        queueId: 'queue_technical',
        status: 'closed',
        agentId: 'agent_alex',
        timestamps: { createdAt: at, queuedAt: at, acceptedAt: at, closedAt: at },
      });
    }
    browser = await launch();
    agent = (await newPage(browser, 'agent')).page;
    // The browser refuses this page storage, as it may a third-party frame such as a Teams tab.
    await agent.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The page may not use storage', 'SecurityError');
        },
      });
    });
    await signIn(agent, server.url, 'Alex Rivera');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the last closed first, says how many there are, and shows the earlier ones on request', async () => {
    await agent.getByRole('tab', { name: /Closed in the last 24 hours/ }).click();
    const panel = agent.getByRole('tabpanel', { name: 'Closed in the last 24 hours' });
    const rows = panel.getByRole('row').filter({ hasText: 'Quinn Closed' });
    await expect.poll(() => rows.count()).toBe(200);
    await expect
      .poll(() => panel.getByTestId('list-shown').textContent())
      .toBe(`Showing the 200 last closed of ${CLOSED}.`);
    await panel.getByRole('button', { name: 'Show earlier closed' }).click();
    await expect.poll(() => rows.count()).toBe(CLOSED);
    await expect.poll(() => panel.getByRole('button', { name: 'Show earlier closed' }).count()).toBe(0);
    expect(await panel.getByTestId('list-shown').count()).toBe(0);
  }, 120_000);

  it('keeps working with storage refused: the sound and theme choices hold until a reload', async () => {
    const settings = agent.getByRole('button', { name: 'Settings' });
    await settings.click();
    await agent.getByRole('menuitemcheckbox', { name: 'Sound for new offers' }).click();
    await agent.keyboard.press('Escape');
    await agent.getByRole('menu').waitFor({ state: 'detached' });
    await settings.click();
    await expect
      .poll(() =>
        agent.getByRole('menuitemcheckbox', { name: 'Sound for new offers' }).getAttribute('aria-checked'),
      )
      .toBe('true');
    await agent.getByRole('menuitemradio', { name: /Dark/ }).click();
    await expect.poll(() => agent.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await agent.getByTestId('stream-status').textContent()).toContain('Live');
  }, 60_000);
});
