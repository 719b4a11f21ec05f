/**
 * The workspace at the widths a Teams tab really gets — a small laptop, a narrowed window, Teams
 * on a phone — in headless Chromium against the real server: nothing runs off the side of the
 * panel (the session's header and panes, the dashboard, the supervisor's tables and chart), a wide
 * table scrolls within itself, a long survey label leaves its value room, and axe finds nothing
 * serious at the narrowest width. An offer that comes meanwhile stays within a 320 px window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  ensureWebBuilt,
  launch,
  newPage,
  seriousViolations,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;
let supervisor: Page;

const WIDTHS = [
  { width: 1024, height: 700 },
  { width: 800, height: 700 },
  { width: 420, height: 820 },
];

/** How far the visible view panel's content reaches past its right edge, in CSS pixels. */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const panel = [...document.querySelectorAll<HTMLElement>('main > section')].find(
      (p) => p.offsetParent !== null,
    );
    if (!panel) throw new Error('no visible view panel');
    return panel.scrollWidth - panel.clientWidth;
  });
}

/** Whether the element's box lies within the page's width (it may be scrolled to vertically). */
async function withinWidth(page: Page, element: Locator): Promise<boolean> {
  const box = await element.boundingBox();
  const width = page.viewportSize()!.width;
  return box !== null && box.x >= 0 && box.x + box.width <= width + 0.5;
}

describe('Teams tab at narrow widths', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launch();
    await customerAsksForAPerson(browser, server.url, 'Jordan Lee');
    agent = (await newPage(browser, 'agent')).page;
    await signIn(agent, server.url, 'Alex Rivera');
    await acceptOffer(agent, 'Jordan Lee');
    supervisor = (await newPage(browser, 'supervisor')).page;
    await signIn(supervisor, server.url, 'Sam Morgan');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps the session, its header and its panes within the panel', async () => {
    const session = agent.getByRole('region', { name: 'Session with Jordan Lee' });
    const survey = session.locator('dl').filter({ hasText: 'Email address on your account' });
    // An article with a long title open beside the customer summary.
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill('/kb router light');
    await session.getByRole('option', { name: /Router lights and what they mean/ }).waitFor();
    await composer.press('Enter');
    const articleTab = session.getByRole('tab', { name: /^Router lights and what they mean/ });
    await articleTab.waitFor();
    const apps = session.getByRole('region', { name: 'Applications' });
    await session.getByRole('tab', { name: 'Customer summary' }).click();
    for (const size of WIDTHS) {
      await agent.setViewportSize(size);
      await expect
        .poll(() => sidewaysOverflow(agent), { message: `at ${size.width}px` })
        .toBeLessThanOrEqual(0);
      expect(await withinWidth(agent, session.getByRole('button', { name: 'End conversation' }))).toBe(true);
      expect(
        await withinWidth(agent, session.getByRole('combobox', { name: 'Message to the customer' })),
      ).toBe(true);
      expect(
        await withinWidth(agent, session.getByRole('complementary', { name: 'Productivity pane' })),
      ).toBe(true);
      if (size.width < 560) {
        // A phone: the session gets the whole width, the views and sessions a strip above it.
        expect((await session.boundingBox())!.width, 'the session at a phone width').toBeGreaterThan(
          size.width - 24,
        );
        expect(await withinWidth(agent, agent.getByRole('tab', { name: /^Jordan Lee/ }))).toBe(true);
        // The header keeps to three short lines (four before), leaving the height to the session; the
        // presence list keeps its name for screen readers.
        expect((await agent.getByRole('banner').boundingBox())!.height).toBeLessThan(130);
        expect(await agent.getByRole('combobox', { name: 'Presence' }).count()).toBe(1);
      }
      // A long article title stays within its column (cut short, whole in its tooltip).
      const tab = (await articleTab.boundingBox())!;
      const column = (await apps.boundingBox())!;
      expect(tab.x + tab.width, `at ${size.width}px`).toBeLessThanOrEqual(column.x + column.width + 0.5);
      // The label takes at most its share; the address beside it keeps a readable width.
      const value = survey.locator('dd').filter({ hasText: '@example.com' });
      expect((await value.boundingBox())!.width, `at ${size.width}px`).toBeGreaterThan(90);
    }
    expect(await seriousViolations(agent)).toEqual([]);
  }, 120_000);

  it('keeps the dashboard within the panel, its work items scrolling within their own box', async () => {
    await agent.getByRole('tab', { name: /^Dashboard/ }).click();
    const table = agent.getByRole('table', { name: 'My work items' });
    await table.waitFor();
    for (const size of WIDTHS) {
      await agent.setViewportSize(size);
      await expect
        .poll(() => sidewaysOverflow(agent), { message: `at ${size.width}px` })
        .toBeLessThanOrEqual(0);
      expect(await withinWidth(agent, agent.getByRole('tab', { name: /^Closed in the last 24 hours/ }))).toBe(
        true,
      );
      expect(
        await withinWidth(agent, agent.getByRole('complementary', { name: 'My capacity and queues' })),
      ).toBe(true);
      // Its columns keep their content's width: the sentiment badge ends before the next cell starts.
      const row = table.getByRole('row').nth(1);
      const badge = (await row.getByText('negative', { exact: false }).boundingBox())!;
      const next = (await row.getByRole('cell').nth(5).boundingBox())!;
      expect(badge.x + badge.width, `at ${size.width}px`).toBeLessThanOrEqual(next.x + 0.5);
    }
    expect(await seriousViolations(agent)).toEqual([]);
  }, 120_000);

  it('keeps an offer within the window at 320 px, its buttons in reach (WCAG 1.4.10)', async () => {
    await agent.setViewportSize({ width: 320, height: 640 });
    await customerAsksForAPerson(browser, server.url, 'Riley Shaw');
    const toast = agent.getByTestId('offer-toast').filter({ hasText: 'Riley Shaw' });
    await toast.waitFor({ timeout: 30_000 });
    expect(await withinWidth(agent, toast)).toBe(true);
    for (const name of ['Accept', 'Reject'])
      expect(await withinWidth(agent, toast.getByRole('button', { name })), name).toBe(true);
    expect(await seriousViolations(agent, '[data-testid="offer-toast"]')).toEqual([]);
    await toast.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => toast.count()).toBe(0);
  }, 90_000);

  it("keeps the supervisor's tables and chart within the panel", async () => {
    await supervisor.getByRole('tab', { name: /^Supervisor/ }).click();
    const wallboard = supervisor.getByTestId('wallboard');
    await wallboard.waitFor();
    const chart = supervisor
      .locator('svg')
      .filter({ has: supervisor.locator('text=Sales & moving') })
      .first();
    await chart.waitFor();
    for (const size of WIDTHS) {
      await supervisor.setViewportSize(size);
      await expect
        .poll(() => sidewaysOverflow(supervisor), { message: `at ${size.width}px` })
        .toBeLessThanOrEqual(0);
      // The chart follows the panel's width rather than keeping its first one.
      await expect.poll(() => withinWidth(supervisor, chart), { message: `at ${size.width}px` }).toBe(true);
    }
    expect(await seriousViolations(supervisor)).toEqual([]);
  }, 120_000);
});
