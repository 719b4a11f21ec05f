/**
 * A customer whose name is one word of 200 characters (the longest the pre-chat form takes), in
 * headless Chromium against the real server at 1,280 px: the offers keep to their 380 px and their
 * Accept and Reject in sight, another customer's offer beside it too; the accepted session keeps
 * its header, its buttons, its message box and its side panes within the panel; the dashboard and
 * the supervisor's board keep their buttons in view. The name is cut short where it shows, whole in
 * its tooltip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Activity } from 'botframework-directlinejs';
import { customerPastSurvey } from '../api/support/live-conversation.js';
import type { Customer } from '../api/support/clients.js';
import type { TestServer } from '../support/server.js';
import { newPage, serverWithAlex, setPresence, signIn } from './support/tab-browser.js';

const LONG = 'Wolfeschlegelsteinhausenbergerdorff'.repeat(6).slice(0, 200);
const VIEWPORT = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let agent: Page;
const customers: Customer[] = [];

/** Whether the element's box lies within the window's width. */
async function withinWidth(page: Page, element: Locator): Promise<boolean> {
  const box = await element.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= page.viewportSize()!.width + 0.5;
}

/** How far the visible view panel's content reaches past its right edge, in CSS pixels. */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const panel = [...document.querySelectorAll<HTMLElement>('main > section')].find(
      (p) => p.offsetParent !== null,
    );
    if (!panel) throw new Error('no visible view panel');
    return panel.scrollWidth - panel.clientWidth;
  });
}

async function asksForAPerson(userId: string, name: string): Promise<void> {
  const chat = await customerPastSurvey(server.url, { userId, name }, 'Internet outage');
  customers.push(chat);
  await chat.post({ type: 'message', text: 'I want to talk to an agent' } as Partial<Activity>);
}

describe('Teams tab: a customer name of 200 characters without a space', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
    await agent.setViewportSize(VIEWPORT);
  }, 180_000);

  afterAll(async () => {
    for (const c of customers) c.end();
    await browser?.close();
    await server?.close();
  });

  it('keeps the offers within their region, Accept and Reject in sight', async () => {
    await setPresence(agent, /Available/);
    await asksForAPerson('dl_long_name', LONG);
    const long = agent.getByTestId('offer-toast').filter({ hasText: LONG });
    await long.waitFor({ timeout: 30_000 });
    await asksForAPerson('dl_riley', 'Riley Shaw');
    const riley = agent.getByTestId('offer-toast').filter({ hasText: 'Riley Shaw' });
    await riley.waitFor({ timeout: 30_000 });

    const region = (await agent.getByRole('region', { name: 'Incoming conversations' }).boundingBox())!;
    for (const toast of [long, riley]) {
      const box = (await toast.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(region.width + 0.5);
      for (const name of ['Accept', 'Reject']) {
        const button = toast.getByRole('button', { name });
        expect(await withinWidth(agent, button), name).toBe(true);
        const at = (await button.boundingBox())!;
        expect(at.x + at.width, name).toBeLessThanOrEqual(box.x + box.width + 0.5);
      }
    }
    // Cut short on screen, whole in the tooltip and in the heading read out.
    const heading = long.getByRole('heading', { name: `${LONG} wants to chat` });
    expect(await heading.locator('[title]').getAttribute('title')).toBe(LONG);
    expect((await heading.boundingBox())!.width).toBeLessThanOrEqual(region.width);

    await riley.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => riley.count()).toBe(0);
  }, 120_000);

  it("keeps the session's header, buttons, message box and panes within the panel", async () => {
    await agent
      .getByTestId('offer-toast')
      .filter({ hasText: LONG })
      .getByRole('button', { name: 'Accept' })
      .click();
    const session = agent.getByRole('region', { name: `Session with ${LONG}` });
    await session.waitFor();
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.waitFor();
    await expect.poll(() => sidewaysOverflow(agent)).toBeLessThanOrEqual(0);
    const heading = session.getByRole('heading', { name: LONG, level: 2 });
    expect(await heading.locator('[title]').getAttribute('title')).toBe(LONG);
    expect(await withinWidth(agent, heading)).toBe(true);
    for (const control of [
      session.getByRole('button', { name: 'End conversation' }),
      session.getByRole('button', { name: /Download transcript/ }),
      session.getByRole('button', { name: 'Send', exact: true }),
      composer,
      session.getByRole('region', { name: 'Applications' }),
      session.getByRole('complementary', { name: 'Productivity pane' }),
    ])
      expect(await withinWidth(agent, control), String(control)).toBe(true);
    // The three columns keep their shares: the transcript's is not the width of the name.
    const convo = (await session.getByRole('region', { name: 'Conversation' }).boundingBox())!;
    expect(convo.width).toBeLessThan(VIEWPORT.width / 2);

    // The session list keeps the entry within the navigation, its queue under the name.
    const nav = (await agent.getByRole('navigation', { name: 'Workspace' }).boundingBox())!;
    const entry = agent.getByRole('tab', { name: new RegExp(`^${LONG}`) });
    const box = (await entry.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(nav.x + nav.width + 0.5);
    expect(await entry.locator('[title]').first().getAttribute('title')).toBe(LONG);
  }, 120_000);

  it('keeps the dashboard and the supervisor board buttons in view', async () => {
    await agent.getByRole('tab', { name: /^Dashboard/ }).click();
    const mine = agent.getByRole('table', { name: 'My work items' });
    const open = mine.getByRole('button', { name: `Open ${LONG}` });
    await open.waitFor();
    expect(await withinWidth(agent, open)).toBe(true);
    expect(
      await mine.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth),
    ).toBeLessThanOrEqual(0);

    const sam = (await newPage(browser, 'sam')).page;
    await sam.setViewportSize(VIEWPORT);
    await signIn(sam, server.url, 'Sam Morgan');
    await sam.getByRole('tab', { name: /^Supervisor/ }).click();
    const actions = sam.getByRole('button', { name: `Actions for ${LONG}` });
    await actions.waitFor();
    await expect.poll(() => sidewaysOverflow(sam)).toBeLessThanOrEqual(0);
    expect(await withinWidth(sam, actions)).toBe(true);
    const board = sam.getByRole('table').filter({ has: actions });
    expect(
      await board.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth),
    ).toBeLessThanOrEqual(0);
  }, 120_000);
});
