/**
 * A chat that runs past midnight where the agent is (Adelaide), in headless Chromium against the
 * real server, whose clock is set to two minutes before that midnight and moved past it: the transcript
 * says "Yesterday" above the first messages and "Today" where the day changed, and each message's
 * time has its date in its tooltip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Activity } from 'botframework-directlinejs';
import { until } from '../api/support/clients.js';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { systemDeps } from '../../services/domain/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch, signIn } from './support/tab-browser.js';

const TIME_ZONE = 'Australia/Adelaide';

/** The last midnight in Adelaide before now, in milliseconds. */
function lastMidnightThere(now: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: TIME_ZONE,
      hourCycle: 'h23',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  ) as { hour: number; minute: number; second: number };
  return now - (now % 1000) - ((parts.hour * 60 + parts.minute) * 60 + parts.second) * 1000;
}

let server: TestServer;
let browser: Browser;
let agent: Page;
let live: LiveConversation;
/** How far the server's clock is from this computer's: it runs two minutes before Adelaide's midnight. */
let offset = 0;

describe('Teams tab: a transcript across midnight', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    const midnight = lastMidnightThere(Date.now());
    offset = midnight - 120_000 - Date.now();
    server = await startTestServer({
      app: { deps: { ...systemDeps, now: () => new Date(Date.now() + offset) } },
    });
    browser = await launch();
    live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_late', name: 'Quinn Late' });
    await live.customer.post({
      type: 'message',
      text: 'Still up: is the outage fixed?',
    } as Partial<Activity>);
    // Stored (at the server's time) before its clock moves on: the post is answered before that.
    await until('the message stored before midnight', async () => {
      const read = await live.agent.call('GET', `/conversations/${live.conversationId}/messages`);
      return (read.body.items as Array<{ text?: string }>).some((m) => m.text?.startsWith('Still up'));
    });
    // Past midnight in Adelaide (the chat not gone quiet long enough for anything to run out).
    offset = midnight + 5_000 - Date.now();
    await live.customer.post({ type: 'message', text: 'It is past midnight now' } as Partial<Activity>);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-AU',
      timezoneId: TIME_ZONE,
    });
    agent = await context.newPage();
    await signIn(agent, server.url, 'Alex Rivera');
  }, 180_000);

  afterAll(async () => {
    live?.customer.end();
    await browser?.close();
    await server?.close();
  });

  it('says the day where it changes, and the date of each time in its tooltip', async () => {
    await agent.getByRole('button', { name: 'Open Quinn Late' }).click();
    const log = agent.getByRole('region', { name: 'Session with Quinn Late' }).getByRole('log');
    const late = log.locator('li[data-from="customer"]', { hasText: 'Still up' });
    const after = log.locator('li[data-from="customer"]', { hasText: 'past midnight' });
    await after.waitFor();
    const rows = await log
      .locator('ol > li')
      .evaluateAll((lis) =>
        lis.map((li) => (li.hasAttribute('data-from') ? `${li.getAttribute('data-from')}` : li.textContent)),
      );
    // Yesterday first, the day's messages, then Today before the one after midnight.
    expect(rows[0]).toBe('Yesterday');
    expect(rows.filter((r) => r === 'Yesterday' || r === 'Today')).toEqual(['Yesterday', 'Today']);
    expect(rows.slice(-2)).toEqual(['Today', 'customer']);

    const dateOf = (at: number) =>
      new Date(at).toLocaleDateString('en-AU', { timeZone: TIME_ZONE, day: 'numeric', month: 'long' });
    const midnight = lastMidnightThere(Date.now());
    expect(await late.locator('time').getAttribute('title')).toContain(dateOf(midnight - 120_000));
    expect(await after.locator('time').getAttribute('title')).toContain(dateOf(midnight + 5_000));
  }, 120_000);
});
