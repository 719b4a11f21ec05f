/**
 * What the supervisor's board asks them to look at, in Chromium against the real server, for a
 * supervisor who opens the tab after it happened: the sentiment alerts raised while it was closed
 * (all of them, the newest first, the rest a click away), which go when the chat recovers or ends;
 * a customer waiting long in the queue, highlighted and counted on the Supervisor entry; how long
 * each customer has been in the chat; the consults colleagues asked for meanwhile, whose prompts
 * leave the board's actions within reach; and a refused action's message, which does not stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signIn as apiSignIn } from '../api/support/clients.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, signIn } from './support/tab-browser.js';

const HOLDERS = ['agent_emma', 'agent_chen', 'agent_farah', 'agent_devi'];
const UPSET = ['Ana', 'Ben', 'Cleo', 'Dan', 'Eve', 'Finn', 'Gus'];

let server: TestServer;
let browser: Browser;
let sam: Page;
const chats = new Map<string, string>();
let longWaiter: string;
const consulted: string[] = [];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  const { repos, router, bus } = server.services;
  for (const id of ['agent_alex', ...HOLDERS]) await router.presence.set(id, 'available');
  await router.presence.set('supervisor_sam', 'busy-dnd');
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  // Seven chats fell very negative while Sam's tab was closed, the oldest alert first.
  for (const [i, name] of UPSET.entries()) {
    const customer = await repos.customers.create({ name: `${name} Upset` });
    const agentId = HOLDERS[i % HOLDERS.length]!;
    const c = await repos.conversations.create({
      channel: 'webchat',
      customerId: customer.id,
      workstreamId: 'ws_webchat',
      queueId: 'queue_technical',
      status: 'active',
      agentId,
      participants: [{ agentId, mode: 'primary', joinedAt: minutesAgo(10) }],
      sentiment: { level: 'very negative', score: -0.8, at: minutesAgo(1) },
      timestamps: {
        createdAt: minutesAgo(20),
        queuedAt: minutesAgo(12),
        offeredAt: minutesAgo(10),
        acceptedAt: minutesAgo(10),
      },
    });
    chats.set(name, c.id);
    await bus.publish({
      type: 'sentiment.alert',
      conversationId: c.id,
      level: 'very negative',
      recipientId: 'supervisor_sam',
      recipientRole: 'supervisor',
    });
    // "Newest first" needs each alert a later time than the one before: not two in one millisecond.
    const stamped = Date.now();
    while (Date.now() <= stamped) await new Promise((r) => setImmediate(r));
  }

  // Nobody can take this one (a skill nobody has): she has waited five minutes.
  const waiter = await repos.customers.create({ name: 'Wanda Waiting' });
  longWaiter = (
    await repos.conversations.create({
      channel: 'webchat',
      customerId: waiter.id,
      workstreamId: 'ws_webchat',
      queueId: 'queue_technical',
      requiredSkills: ['klingon'],
      status: 'waiting',
      timestamps: { createdAt: minutesAgo(6), queuedAt: minutesAgo(5) },
    })
  ).id;

  // Two colleagues asked Sam to consult while the tab was closed.
  for (const [agentId, name] of [
    ['agent_emma', 'Ana'],
    ['agent_chen', 'Ben'],
  ] as const) {
    const id = chats.get(name)!;
    const agent = await apiSignIn(server.url, agentId);
    const res = await agent.call('POST', `/conversations/${id}/consult`, { agentId: 'supervisor_sam' });
    expect(res.status).toBe(200);
    consulted.push(id);
  }

  browser = await launch();
  sam = (await newPage(browser, 'sam')).page;
  await sam.setViewportSize({ width: 1366, height: 768 });
  await signIn(sam, server.url, 'Sam Morgan');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const entry = () => sam.getByRole('tab', { name: /^Supervisor/ });
const banners = () => sam.getByRole('list', { name: 'Alerts' }).locator('[data-alert]');

describe('a supervisor who opens the tab after the day began', () => {
  it('is asked about the consults colleagues asked for while the tab was closed', async () => {
    const asks = sam.getByTestId('consult-toast');
    await expect.poll(() => asks.count(), { timeout: 20_000 }).toBe(2);
    expect(await asks.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Ana Upset/), expect.stringMatching(/Ben Upset/)]),
    );
  }, 30_000);

  it('sees on the Supervisor entry that a customer is waiting long', async () => {
    await expect.poll(() => entry().textContent(), { timeout: 30_000 }).toMatch(/1 customer waiting long/);
  }, 40_000);

  it('finds every alert raised meanwhile on the board, the newest first, the rest a click away', async () => {
    await entry().click();
    await expect.poll(() => banners().count(), { timeout: 20_000 }).toBe(5);
    expect(await banners().first().textContent()).toContain('Gus Upset');
    await sam.getByRole('button', { name: 'and 2 more alerts: show all' }).click();
    await expect.poll(() => banners().count()).toBe(7);
    expect(await banners().last().textContent()).toContain('Ana Upset');
  }, 40_000);

  it('highlights the long wait and keeps how long each customer has been in the chat', async () => {
    const row = sam.locator(`tr[data-conversation="${longWaiter}"]`);
    await expect.poll(() => row.getAttribute('data-long-wait'), { timeout: 20_000 }).toBe('queue');
    expect(await row.getByTestId('long-wait').textContent()).toBe('Long wait in queue');
    const upset = sam.locator(`tr[data-conversation="${chats.get('Cleo')}"]`);
    expect(await upset.locator('[data-metric="in-conversation"]').textContent()).toMatch(/^(19|20) min/);
  }, 30_000);

  it('leaves the board’s actions within reach while two consult prompts are up', async () => {
    await entry().click();
    const buttons = sam.getByRole('button', { name: /^Actions for / });
    await expect.poll(() => buttons.count(), { timeout: 20_000 }).toBe(8);
    expect(await sam.getByTestId('consult-toast').count()).toBe(2);
    // Each row brought to the bottom of the board, where the prompts are: the whole of its button
    // is there to click.
    for (const b of await buttons.all()) {
      const hit = await b.evaluate((el) => {
        el.scrollIntoView({ block: 'end' });
        const box = el.getBoundingClientRect();
        const x = box.x + box.width / 2;
        return [box.top + 2, box.top + box.height / 2, box.bottom - 2].every(
          (y) => document.elementFromPoint(x, y)?.closest('button') === el,
        );
      });
      expect(hit, (await b.getAttribute('aria-label')) ?? '').toBe(true);
    }
  }, 90_000);

  it('takes a banner away when its chat recovers or ends', async () => {
    const { repos } = server.services;
    await repos.conversations.change(chats.get('Gus')!, (c) => ({
      ...c,
      sentiment: { level: 'slightly positive', score: 0.3, at: new Date() },
    }));
    const sam2 = await apiSignIn(server.url, 'supervisor_sam');
    expect((await sam2.call('POST', `/conversations/${chats.get('Finn')}/force-close`, {})).status).toBe(200);
    await expect.poll(() => banners().count(), { timeout: 20_000 }).toBe(5);
    const texts = (await banners().allTextContents()).join(' ');
    expect(texts).not.toContain('Gus Upset');
    expect(texts).not.toContain('Finn Upset');
  }, 40_000);

  it('clears a refused action’s message at the next action, or when dismissed', async () => {
    await sam.route('**/api/v1/conversations/*/monitor', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'conversation.not_active', message: 'The chat has ended.' } }),
      }),
    );
    const bar = sam.getByTestId('board-error');
    await banners().filter({ hasText: 'Eve Upset' }).getByRole('button', { name: 'Monitor' }).click();
    await bar.filter({ hasText: 'The chat has ended.' }).waitFor();
    await sam.getByRole('button', { name: 'Actions for Dan Upset' }).click();
    await sam.getByRole('menuitem', { name: 'Force close…' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    await sam.getByRole('button', { name: 'Cancel' }).click();

    await banners().filter({ hasText: 'Eve Upset' }).getByRole('button', { name: 'Monitor' }).click();
    await bar.waitFor();
    await bar.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    await sam.unroute('**/api/v1/conversations/*/monitor');
  }, 40_000);
});
