/**
 * A returning guest as the agent meets them, in headless Chromium against the real server: someone
 * on Pat's browser types Pat's details, and the customer card says it is a guest, not verified, and
 * cautions that the record's history may not be theirs. The timeline says who served each past chat,
 * how it ended and how it was rated, who wrote each note, each case's status; it reads older entries
 * on "Show older", and opens a past chat's transcript read-only, or says in words why it may not.
 */
import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/server.js';
import { liveConversation, offeredConversation } from '../api/support/live-conversation.js';
import { acceptOffer, screenshot, seriousViolations, serverWithAlex } from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;

const PAT = { userId: 'dl_shared_pat', name: 'Pat Morales' };
const CAUTION =
  'Matched by the details typed; not verified — confirm who you are talking to before sharing account details';

describe('Teams tab: a customer with a past', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("marks an unverified guest on a record with history, and shows that history's details", async () => {
    // Pat's first chat: a note, a case, a rating and a wrap-up, all before the newest 50 entries.
    const first = await liveConversation(server.url, 'agent_alex', PAT);
    const alex = first.agent;
    const a = first.conversationId;
    await alex.call('POST', `/conversations/${a}/messages`, {
      text: 'Your router is on its way',
      visibility: 'public',
    });
    expect(
      (await alex.call('POST', `/conversations/${a}/notes`, { text: 'Prefers a call back' })).status,
    ).toBe(201);
    const opened = await alex.call('POST', `/conversations/${a}/case`, { title: 'Router replacement' });
    expect(opened.status).toBeLessThan(300);
    expect((await alex.call('POST', `/conversations/${a}/end`)).status).toBe(200);
    await first.customer.waitFor(
      'the rating question',
      (x) => x.type === 'event' && x.name === 'postChatSurvey',
    );
    await first.customer.post({
      type: 'message',
      text: 'Rated 4',
      value: { csat: { rating: 4 } },
    } as Partial<Activity>);
    await first.customer.waitFor('the thanks', (x) => x.type === 'message' && /feedback/.test(x.text ?? ''));
    expect(
      (await alex.call('POST', `/conversations/${a}/wrap-up`, { disposition: 'Router sent' })).status,
    ).toBe(200);
    first.customer.end();
    const customerId = (await alex.call('GET', `/conversations/${a}`)).body.customerId as string;
    for (let i = 1; i <= 55; i++)
      expect(
        (await alex.call('POST', `/customers/${customerId}/notes`, { text: `Account check ${i}` })).status,
      ).toBe(201);

    // Someone on the same browser types Pat's name and e-mail.
    const second = await offeredConversation(server.url, 'agent_alex', PAT);
    const session = await acceptOffer(agent, PAT.name);
    await session.getByText('Guest — not verified (details typed in the survey)').waitFor();
    await session.getByText(CAUTION).waitFor();

    const timeline = session.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(50);
    await expect
      .poll(() => timeline.getByRole('listitem').filter({ hasText: 'Account check 55' }).textContent())
      .toMatch(/by Alex Rivera/);
    await session.getByRole('button', { name: 'Show older' }).click();
    const past = timeline
      .getByRole('listitem')
      .filter({ hasText: 'Conversation' })
      .filter({ hasText: 'Closed' });
    await expect
      .poll(() => past.textContent())
      .toMatch(/Closed · with Alex Rivera · wrapped up: Router sent · rated 4 of 5/);
    await expect
      .poll(() => timeline.getByRole('listitem').filter({ hasText: 'Prefers a call back' }).textContent())
      .toMatch(/by Alex Rivera/);
    const caseLine = timeline.getByRole('listitem').filter({ hasText: 'Router replacement' });
    expect(await caseLine.textContent()).toContain(opened.body.number as string);
    const status = opened.body.status as string;
    expect(await caseLine.textContent()).toContain(`${status.charAt(0).toUpperCase()}${status.slice(1)} · `);
    await screenshot(agent, 'customer-history');
    // Everything is in: nothing older to ask for.
    await expect.poll(() => session.getByRole('button', { name: 'Show older' }).count()).toBe(0);
    expect(await timeline.getByRole('listitem').count()).toBe(59);
    // The chat in hand is marked, with no transcript to open: it is on screen already.
    const current = timeline.getByRole('listitem').filter({ hasText: '(this chat)' });
    expect(await current.getByRole('button').count()).toBe(0);

    // The past chat's transcript, read-only, over the session.
    await past.getByRole('button', { name: /^Open transcript/ }).click();
    const dialog = agent.getByRole('dialog', { name: /^Transcript/ });
    const log = dialog.getByRole('list', { name: 'Past transcript' });
    await log.getByText('Your router is on its way').waitFor();
    await screenshot(agent, 'customer-history-transcript');
    expect(await dialog.getByRole('textbox').count()).toBe(0);
    expect(await seriousViolations(agent)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // One the server refuses says why, in words.
    await agent.route(`**/api/v1/conversations/${a}/messages*`, (r) =>
      r.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'access.denied', message: 'You may not read this conversation' },
        }),
      }),
    );
    await past.getByRole('button', { name: /^Open transcript/ }).click();
    await dialog
      .getByText("You may not read this conversation's transcript: it was in a queue you are not in.")
      .waitFor();
    await agent.unroute(`**/api/v1/conversations/${a}/messages*`);
    await dialog.getByRole('button', { name: 'Close' }).click();
    second.customer.end();
  }, 180_000);
});
