/**
 * A busy agent's tab, in headless Chromium against the real server: several sessions open, one of
 * them a chat of hundreds of messages, one a colleague's they consult on. What stays fast is proven
 * by what the tab does, not by timing it (bench/tab-render.bench.ts times it): a reload reads a
 * session's panels when it is first shown, once; the long chat draws its newest rows and the older
 * ones as the agent scrolls up to them; a keystroke, a switch or a message elsewhere draws none of it
 * again, and a message of its own draws one row (the tab's render counts, `render-count.ts`); a
 * message in the consulted chat reads none of the dashboard's lists again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn as signInApi } from '../api/support/clients.js';
import { customerLeavingAMessage } from '../api/support/live-conversation.js';
import { busyAgent, longLine, UNHURRIED_WRITES, type BusyAgent } from './support/busy-agent.js';
import { ensureWebBuilt, launch, newPage, signIn } from './support/tab-browser.js';

const LINES = 350;
/** The most rows the long chat may draw before the agent scrolls up (Transcript.tsx draws 100). */
const DRAWN_AT_MOST = 120;
/** What each session's side panels read: customer summary, timeline, script, assist, summary, notes. */
const PANELS =
  /^\/api\/v1\/conversations\/[^/]+\/(customer|script|assist|summary|notes)$|^\/api\/v1\/customers\//;

let server: TestServer;
let browser: Browser;
let chen: Page;
let busy: BusyAgent;
const requests: Request[] = [];

const sessionTab = (name: string) => chen.getByRole('tab', { name: new RegExp(`^${name}`) });
const region = (name: string) => chen.getByRole('region', { name: `Session with ${name}` });
const renders = () =>
  chen.evaluate(() => ({
    ...(window as { __switchboardRenders?: Record<string, number> }).__switchboardRenders,
  }));
const countAnew = () =>
  chen.evaluate(() => void ((window as { __switchboardRenders?: object }).__switchboardRenders = {}));
const paths = (since = 0) =>
  requests.slice(since).map((r) => `${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);

describe('Teams tab: a busy agent, many sessions and a long chat', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer({ app: { apiLimits: UNHURRIED_WRITES } });
    // Three chats of Chen's own, the first of them long, and one of Alex's Chen consults on.
    busy = await busyAgent(server.url, 'agent_chen', { sessions: 4, longMessages: LINES });
    browser = await launch();
    const recorded = await newPage(browser, 'chen');
    chen = recorded.page;
    // The tab counts its renders once asked to, before any of its code runs.
    await recorded.context.addInitScript('window.__switchboardRenders = {}');
    chen.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/v1/')) requests.push(r);
    });
    await signIn(chen, server.url, 'Chen Wei');
    await sessionTab(busy.chats[3]!.name).waitFor();
  }, 240_000);

  afterAll(async () => {
    busy?.end();
    await browser?.close();
    await server?.close();
  });

  it("reads a session's panels when it is first shown, once, not every session's on a reload", async () => {
    const [long, first, second] = busy.chats as [BusyAgent['long'], BusyAgent['long'], BusyAgent['long']];
    const from = requests.length;
    await chen.reload();
    await chen.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
    // Every session is back in the list, read far enough to say its customer and state.
    for (const c of busy.chats) await sessionTab(c.name).waitFor();

    await sessionTab(first.name).click();
    const pane = region(first.name).getByRole('complementary', { name: 'Productivity pane' });
    await pane.getByText('Outage troubleshooting').waitFor();
    await pane
      .getByText(/No suggestions yet|Why:/)
      .first()
      .waitFor();
    await region(first.name)
      .getByRole('tabpanel', { name: 'Customer summary' })
      .getByText('customer@example.com')
      .first()
      .waitFor();
    // Another session shown, so the first one's panels had time to be read twice if they were.
    await sessionTab(second.name).click();
    await region(second.name)
      .getByRole('complementary', { name: 'Productivity pane' })
      .getByText('Outage troubleshooting')
      .waitFor();

    const panels = paths(from).filter((p) => PANELS.test(p.split(' ')[1]!.split('?')[0]!));
    const of = (c: { id: string }) => panels.filter((p) => p.includes(c.id));
    // Never shown: nothing of its panels is read, and of its transcript only the newest messages.
    expect(of(long)).toEqual([]);
    expect(paths(from).filter((p) => p.startsWith(`GET /api/v1/conversations/${long.id}/messages`))).toEqual([
      `GET /api/v1/conversations/${long.id}/messages?latest=100`,
    ]);
    expect(of(busy.chats[3]!)).toEqual([]);
    // Shown: each panel once.
    for (const c of [first, second]) {
      const read = of(c);
      expect(read.filter((p) => p.endsWith('/assist'))).toHaveLength(1);
      expect(read.filter((p) => p.endsWith('/summary'))).toHaveLength(1);
      expect(read.filter((p) => p.endsWith('/script'))).toHaveLength(1);
      expect(read.filter((p) => p.endsWith('/notes'))).toHaveLength(1);
      expect(read.filter((p) => p.endsWith('/customer'))).toHaveLength(1);
    }
  }, 120_000);

  it("draws a long chat's newest rows, and the older ones as the agent scrolls up to them", async () => {
    await sessionTab(busy.long.name).click();
    const log = region(busy.long.name).getByRole('log', { name: 'Transcript' });
    await log.getByText(longLine(LINES - 1)).waitFor();
    const rows = log.locator('li');
    expect(await rows.count()).toBeLessThanOrEqual(DRAWN_AT_MOST);
    // Within reach of a keyboard too: a button above the first row drawn draws the ones before it.
    const earlier = log.getByRole('button', { name: /^Show earlier messages/ });
    const before = await rows.count();
    await earlier.focus();
    await earlier.press('Enter');
    await expect.poll(() => rows.count()).toBeGreaterThan(before);
    // The place kept: the keyboard is still on the button, for more.
    expect(await earlier.evaluate((b) => b === document.activeElement)).toBe(true);
    // Scrolled up, the rest is drawn, down to what the customer said first.
    const oldest = log.getByText('My router keeps dropping the connection');
    await expect
      .poll(
        async () => {
          await log.evaluate((el) => (el.scrollTop = 0));
          return oldest.count();
        },
        { timeout: 60_000 },
      )
      .toBe(1);
    await log.getByText(longLine(1)).waitFor();
    expect(await earlier.count()).toBe(0);
  }, 120_000);

  it('draws none of the long chat again for a keystroke, a switch or a message elsewhere; one row for its own', async () => {
    const [long, first, second] = busy.chats as [BusyAgent['long'], BusyAgent['long'], BusyAgent['long']];
    await sessionTab(long.name).click();
    const composer = region(long.name).getByRole('combobox', { name: 'Message to the customer' });
    await composer.waitFor();
    await countAnew();
    await composer.pressSequentially('typing twenty chars');
    expect(await composer.inputValue()).toBe('typing twenty chars');
    await composer.fill('');
    let drawn = await renders();
    expect(drawn[`session ${long.id}`] ?? 0).toBe(0);
    expect(drawn['transcript'] ?? 0).toBe(0);
    expect(drawn['transcript row'] ?? 0).toBe(0);

    const show = async (c: { name: string }) => {
      await sessionTab(c.name).click();
      await region(c.name).getByRole('combobox', { name: 'Message to the customer' }).waitFor();
    };
    // Away from the long one (which renders to be hidden), then between two others.
    await show(second);
    await show(first);
    await countAnew();
    await show(second);
    await show(first);
    const another = 'Is there an outage in my street?';
    await first.customer.post({ type: 'message', text: another });
    await region(first.name).getByRole('log').getByText(another).waitFor();
    drawn = await renders();
    expect(drawn[`session ${long.id}`] ?? 0).toBe(0);
    expect(drawn[`session ${busy.chats[3]!.id}`] ?? 0).toBe(0);
    // The one message of the chat on screen: its one row, nothing more.
    expect(drawn['transcript row']).toBe(1);

    await sessionTab(long.name).click();
    await composer.waitFor();
    await countAnew();
    const news = 'The line test came back clean';
    await busy.agent.call('POST', `/conversations/${long.id}/messages`, { text: news, visibility: 'public' });
    await region(long.name).getByRole('log').getByText(news).waitFor();
    drawn = await renders();
    expect(drawn['transcript row']).toBe(1);
  }, 120_000);

  it('reads none of the lists again for messages in a chat the agent consults on, only the list a change moves', async () => {
    const consulted = busy.chats[3]!;
    const alex = await signInApi(server.url, consulted.agentId);
    await chen.getByRole('tab', { name: 'Dashboard' }).click();
    await chen.getByTestId('count-mine').filter({ hasText: /^\d+$/ }).waitFor();
    const from = requests.length;
    for (let i = 1; i <= 3; i++) {
      await consulted.customer.post({ type: 'message', text: `Still down, try ${i}` });
      await alex.call('POST', `/conversations/${consulted.id}/messages`, {
        text: `Checking again, ${i}`,
        visibility: 'public',
      });
    }
    // All six heard (the session list counts them), and not one list read again for them.
    await expect.poll(() => sessionTab(consulted.name).textContent()).toMatch(/6 new messages/);
    expect(paths(from).filter((p) => p.includes('/work-items'))).toEqual([]);

    // A customer starts waiting in Chen's queue: the open list is read again, and only it. (Counted
    // from before the messages: a refresh they caused would have come by then, the gate being due.)
    const before = await chen.getByTestId('count-open').textContent();
    const waiting = await customerLeavingAMessage(server.url, {
      userId: 'dl_busynew',
      name: 'Newly Waiting',
    });
    await expect.poll(() => chen.getByTestId('count-open').textContent()).not.toBe(before);
    expect(paths(from).filter((p) => p.includes('/work-items'))).toEqual([
      'GET /api/v1/work-items?view=open',
    ]);
    waiting.end();
  }, 120_000);
});
