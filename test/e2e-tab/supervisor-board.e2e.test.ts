/**
 * The supervisor's board with many chats going on, in Chromium against the real server: each read
 * of the board (every 2 s while its queues are busy, every 5 s otherwise) draws again only the rows
 * whose data changed, not all of them; and a row whose agent signed out with the chat still open
 * says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signIn as apiSignIn } from '../api/support/clients.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt, launch, newPage, signIn } from './support/tab-browser.js';

const HANDLED = 120;
const HOLDERS = ['agent_emma', 'agent_chen', 'agent_farah', 'agent_devi'];

let server: TestServer;
let browser: Browser;
let sam: Page;
let alexChat: string;

beforeAll(async () => {
  ensureWebBuilt();
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  const { repos, router } = server.services;
  for (const id of ['agent_alex', ...HOLDERS]) await router.presence.set(id, 'available');
  const customer = await repos.customers.create({ name: 'Board Customer' });
  const handled = async (agentId: string, minutesAgo: number) => {
    const at = new Date(Date.now() - minutesAgo * 60_000);
    return repos.conversations.create({
      channel: 'webchat',
      customerId: customer.id,
      workstreamId: 'ws_webchat',
      queueId: 'queue_technical',
      status: 'active',
      agentId,
      participants: [{ agentId, mode: 'primary', joinedAt: at }],
      timestamps: { createdAt: at, queuedAt: at, offeredAt: at, acceptedAt: at },
    });
  };
  for (let i = 0; i < HANDLED - 1; i++) await handled(HOLDERS[i % HOLDERS.length]!, 5 + i);
  alexChat = (await handled('agent_alex', 2)).id;

  browser = await launch();
  sam = (await newPage(browser, 'sam')).page;
  await signIn(sam, server.url, 'Sam Morgan');
  await sam.getByRole('tab', { name: 'Supervisor' }).click();
  await sam.waitForFunction((n) => document.querySelectorAll('tr[data-conversation]').length === n, HANDLED);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * React keeps each element's current props on its DOM node: a row drawn again carries a new props
 * object, one left alone keeps the one it had. `mark` notes them; `redrawn` lists the rows since.
 */
const mark = () =>
  sam.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('tr[data-conversation]')];
    const key = Object.keys(rows[0]!).find((k) => k.startsWith('__reactProps$'))!;
    const props = new Map(rows.map((r) => [r.dataset.conversation!, (r as never)[key]]));
    (window as unknown as { drawn: { key: string; props: Map<string, unknown> } }).drawn = { key, props };
  });
const redrawn = () =>
  sam.evaluate(() => {
    const { key, props } = (window as unknown as { drawn: { key: string; props: Map<string, unknown> } })
      .drawn;
    return [...document.querySelectorAll<HTMLElement>('tr[data-conversation]')]
      .filter((r) => props.get(r.dataset.conversation!) !== (r as never)[key])
      .map((r) => r.dataset.conversation);
  });
const nextRead = () =>
  sam.waitForResponse((r) => r.url().endsWith('/api/v1/supervisor/conversations') && r.ok());

describe('the supervisor board, busy', () => {
  it('draws no row again on a read in which nothing but the clock moved on', async () => {
    // Settled first: the board's first reads after it opened may still bring what it lacked.
    await nextRead();
    await nextRead();
    await mark();
    // Two reads: the second starts after the first was drawn.
    await nextRead();
    await nextRead();
    expect(await redrawn()).toEqual([]);
  }, 60_000);

  it('draws only the row of the agent who signed out, and says they are Offline', async () => {
    await mark();
    const alex = await apiSignIn(server.url, 'agent_alex');
    expect((await alex.call('PUT', '/me/presence', { presence: 'offline' })).status).toBe(200);
    const row = sam.locator(`tr[data-conversation="${alexChat}"]`);
    await row.getByTestId('agent-away').filter({ hasText: 'Offline' }).waitFor();
    expect(await row.textContent()).toContain('Alex Rivera');
    expect(await redrawn()).toEqual([alexChat]);
    // Nobody else on the board is marked.
    expect(await sam.getByTestId('agent-away').count()).toBe(1);
  }, 60_000);
});
