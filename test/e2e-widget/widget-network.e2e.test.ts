/**
 * The widget on a phone with a bad network, against the Direct Line stand-in: a stream that dies
 * without a word, sends that are never answered, messages that cannot go, a chat left behind on a
 * shared browser, and the small screens it all happens on.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launch, newRecordedContext, screenshot } from './support/browser.js';
import { answerPreChat, conversationOf, openChatAt, say } from './support/chat-page.js';
import { startStandInOwnBuild, type StandIn } from './support/standin.js';

let server: StandIn;
let browser: Browser;

beforeAll(async () => {
  server = await startStandInOwnBuild();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const DIALOG = { name: 'Northwind Fiber Support' };

const openChat = (page: Page) => openChatAt(page, server.url);

/** The texts of the customer's messages the server stored, in order. */
const storedTexts = (prefix: string) =>
  server.received.filter((a) => a.type === 'message' && a.text?.startsWith(prefix)).map((a) => a.text);

/** How many times the transcript shows a message of exactly this text. */
const shown = (dialog: Locator, text: string) =>
  dialog
    .locator('.sb-bubble')
    .evaluateAll((bubbles, t) => bubbles.filter((b) => b.textContent === t).length, text);

const postsMessage = (route: { request(): { method(): string; postDataJSON(): unknown } }) =>
  route.request().method() === 'POST' &&
  (route.request().postDataJSON() as { type?: string } | null)?.type === 'message';

/**
 * The page's Direct Line streams, routed through the test: `dieSilently` makes those open now drop
 * every frame both ways without closing (a carrier gateway that forgot the connection); streams
 * opened after it work.
 */
async function controlStreams(page: Page) {
  const streams: Array<{ dead: boolean }> = [];
  await page.routeWebSocket(/\/v3\/directline\/conversations\/.*\/stream/, (ws) => {
    const stream = { dead: false };
    streams.push(stream);
    const upstream = ws.connectToServer();
    ws.onMessage((m) => void (!stream.dead && upstream.send(m)));
    upstream.onMessage((m) => void (!stream.dead && ws.send(m)));
    ws.onClose((code, reason) => void (!stream.dead && upstream.close({ code, reason })));
    upstream.onClose((code, reason) => void (!stream.dead && ws.close({ code, reason })));
  });
  return {
    opened: () => streams.length,
    dieSilently: () => streams.forEach((s) => (s.dead = true)),
  };
}

const AGENT = { id: 'agent-alex', name: 'Alex' };

describe('chat widget on a bad network (stand-in server)', () => {
  it('drops a stream silent past the heartbeat and catches up from the watermark, once', async () => {
    const { page, context } = await newRecordedContext(browser);
    await page.clock.install();
    const streams = await controlStreams(page);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const conversationId = await conversationOf(page);
    expect(streams.opened()).toBe(1);

    streams.dieSilently();
    server.botSends(conversationId, { from: AGENT, text: 'Can you restart the router?' });
    // The server sends a heartbeat every 15 s; 40 s without a frame means the stream is gone.
    await page.clock.fastForward(41_000);
    await dialog.getByText('Can you restart the router?').waitFor();
    expect(streams.opened()).toBe(2);
    // The stand-in sends no heartbeat: the next silence reconnects again, and nothing doubles.
    server.botSends(conversationId, { from: AGENT, text: 'Any luck?' });
    await dialog.getByText('Any luck?').waitFor();
    await page.clock.fastForward(41_000);
    await expect.poll(() => streams.opened()).toBe(3);
    await say(dialog, 'still here');
    await dialog.getByText('still here. Visit', { exact: false }).waitFor();
    for (const text of [
      'Can you restart the router?',
      'Any luck?',
      'Thanks, Jordan Lee! What can I help you with today?',
      'still here',
    ])
      expect(await shown(dialog, text)).toBe(1);
    await context.close();
  });

  it('catches up at once when the device is back online, or the page is shown after a quiet spell', async () => {
    const { page, context } = await newRecordedContext(browser);
    await page.clock.install();
    const streams = await controlStreams(page);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const conversationId = await conversationOf(page);

    streams.dieSilently();
    server.botSends(conversationId, { from: AGENT, text: 'Back on the network?' });
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await dialog.getByText('Back on the network?').waitFor();
    expect(streams.opened()).toBe(2);

    // Shown again after less than the heartbeat: the stream is trusted.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    // Quiet longer than the heartbeat, short of the 40 s that would drop the stream anyway.
    streams.dieSilently();
    server.botSends(conversationId, { from: AGENT, text: 'Welcome back.' });
    await page.clock.fastForward(25_000);
    expect(streams.opened()).toBe(2);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await dialog.getByText('Welcome back.').waitFor();
    expect(streams.opened()).toBe(3);
    await context.close();
  });

  it('starts the chat by itself once the service is back, after "Unable to connect"', async () => {
    const { page, context } = await newRecordedContext(browser);
    await page.clock.install();
    let down = true;
    let tries = 0;
    await page.route(/\/widget\/token$/, (route) => {
      tries++;
      return down ? route.fulfill({ status: 503, body: '' }) : route.fallback();
    });
    const dialog = await openChat(page);
    await dialog.getByText('Unable to connect').waitFor();
    expect(tries).toBe(1);
    // Still down at the first retry: it keeps trying, and keeps saying so.
    await page.clock.fastForward(5_000);
    await expect.poll(() => tries).toBe(2);
    await dialog.getByText('Unable to connect').waitFor();
    // Back, and the device says it is online: no waiting for the next retry, nothing to click.
    down = false;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await dialog.locator('form.sb-form').filter({ hasText: 'Your details' }).waitFor();
    expect(await dialog.getByText('Unable to connect').count()).toBe(0);
    await answerPreChat(dialog);
    await context.close();
  });

  it('sends again a message whose answer never came, and what was typed after it follows', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    let stalled = 0;
    await page.route(/\/activities$/, (route) => {
      const body = route.request().postDataJSON() as { text?: string } | null;
      // The first try goes out and is never answered, nor reset: a mobile link that swallowed it.
      if (body?.text === 'stalled: the red light' && stalled++ === 0) return;
      return route.fallback();
    });
    await say(dialog, 'stalled: the red light');
    await say(dialog, 'stalled: and the ONT blinks');
    await expect
      .poll(() => storedTexts('stalled:'), { timeout: 40_000 })
      .toEqual(['stalled: the red light', 'stalled: and the ONT blinks']);
    await expect.poll(() => dialog.locator('.sb-msg-me[data-pending]').count()).toBe(0);
    expect(await shown(dialog, 'stalled: the red light')).toBe(1);
    await context.close();
  }, 90_000);

  it('keeps messages not sent yet over a reload, and sends them then, in order, once', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    // Nothing the customer sends gets through, nor an answer, until the page is reloaded.
    let hold = true;
    await page.route(/\/activities$/, (route) =>
      hold && postsMessage(route) ? undefined : route.fallback(),
    );
    await say(dialog, 'unsent: one');
    await say(dialog, 'unsent: two');
    await expect.poll(() => dialog.locator('.sb-msg-me[data-pending]').count()).toBe(2);
    hold = false;
    await page.reload();
    const after = page.getByRole('dialog', DIALOG);
    await expect.poll(() => storedTexts('unsent:')).toEqual(['unsent: one', 'unsent: two']);
    await expect.poll(() => after.locator('.sb-msg-me[data-pending]').count()).toBe(0);
    await after.getByText('unsent: two. Visit', { exact: false }).waitFor();
    expect(await shown(after, 'unsent: one')).toBe(1);
    expect(await shown(after, 'unsent: two')).toBe(1);
    await context.close();
  });

  it('keeps a message that could not go as "Not sent" with Retry, and leaves the draft alone', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const held: Array<() => Promise<void>> = [];
    await page.route(/\/activities$/, (route) => {
      if (!postsMessage(route)) return route.fallback();
      // Answered only when the test says: the refusal comes while the customer types.
      held.push(() => route.fulfill({ status: 400, json: { error: { code: 'bad_request' } } }));
    });
    await say(dialog, 'lost: router is red');
    await say(dialog, 'lost: since this morning');
    await expect.poll(() => held.length).toBe(1);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    await input.fill('draft: serial number SN-12345');
    await held.shift()!();
    await expect.poll(() => held.length).toBe(1);
    await held.shift()!();
    await expect.poll(() => dialog.getByText('Not sent').count()).toBe(2);
    expect(await input.inputValue()).toBe('draft: serial number SN-12345');
    expect(await shown(dialog, 'lost: router is red')).toBe(1);
    await expect
      .poll(() => dialog.getByRole('alert').filter({ hasText: 'Retry' }).textContent())
      .toContain("2 messages couldn't be sent");
    await screenshot(page, 'not-sent');

    await page.unrouteAll({ behavior: 'ignoreErrors' });
    const retry = dialog.getByRole('button', { name: 'Retry sending: lost: router is red' });
    await retry.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => storedTexts('lost:')).toEqual(['lost: router is red']);
    await expect.poll(() => dialog.getByText('Not sent').count()).toBe(1);
    expect(await input.inputValue()).toBe('draft: serial number SN-12345');
    await context.close();
  });

  it("adds each of the customer's messages to the log once, however its status changes", async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await page.evaluate(() => {
      const w = window as unknown as { __added: string[] };
      w.__added = [];
      const log = document.getElementById('switchboard-widget')!.shadowRoot!.querySelector('.sb-log')!;
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes)
            if (n instanceof HTMLElement && n.matches('.sb-msg-me')) w.__added.push(n.textContent ?? '');
      }).observe(log, { childList: true });
    });
    await answerPreChat(dialog);
    await say(dialog, 'announce me once');
    await dialog.getByText('announce me once. Visit', { exact: false }).waitFor();
    const added = await page.evaluate(() => (window as unknown as { __added: string[] }).__added);
    // The pre-chat summary and the message: one addition each, not "Sending…" and "Sent" apiece.
    expect(added).toHaveLength(2);
    expect(added.filter((t) => t.includes('announce me once'))).toHaveLength(1);
    await context.close();
  });

  it('sends only the last 30 minutes of navigation, and forgets it when the chat ends', async () => {
    const { page, context } = await newRecordedContext(browser);
    await page.goto(`${server.url}/`);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    // Somebody else's search on this browser two hours ago, and this visitor's a few minutes ago.
    await page.evaluate(
      (entries) => localStorage.setItem('switchboard:navigation', JSON.stringify(entries)),
      [
        {
          kind: 'search',
          title: 'EARLIER-VISITOR cancel contract',
          url: `${server.url}/`,
          at: ago(120),
          seq: 1,
        },
        { kind: 'search', title: 'router lights', url: `${server.url}/`, at: ago(5), seq: 2 },
      ],
    );
    await page.reload();
    expect(await page.evaluate(() => localStorage.getItem('switchboard:navigation'))).not.toContain(
      'EARLIER-VISITOR',
    );
    const before = server.received.filter((a) => a.name === 'visitorContext').length;
    await page.getByRole('button', { name: /Open chat/ }).click();
    await expect
      .poll(() => server.received.filter((a) => a.name === 'visitorContext').length)
      .toBe(before + 1);
    const ctx = server.received.filter((a) => a.name === 'visitorContext').at(-1)!;
    const titles = (ctx.value as { portalNavigation: Array<{ title: string }> }).portalNavigation.map(
      (e) => e.title,
    );
    expect(titles).toEqual(['router lights', 'Northwind Fiber · Help Center']);

    const dialog = page.getByRole('dialog', DIALOG);
    await answerPreChat(dialog);
    await say(dialog, 'bye');
    await dialog.getByText('The conversation has ended').waitFor();
    await expect.poll(() => page.evaluate(() => localStorage.getItem('switchboard:navigation'))).toBeNull();
    await context.close();
  });

  it('never shows a chat that ended while no page was open to the next person on the browser', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    await say(dialog, 'KIOSK-PRIVATE my lawyer needs the bill');
    await dialog.getByText('KIOSK-PRIVATE my lawyer needs the bill. Visit', { exact: false }).waitFor();
    const conversationId = await conversationOf(page);
    // The customer walks away; the agent ends the chat.
    await page.close();
    server.botSends(conversationId, { type: 'event', name: 'conversationEnded' });

    const next = await context.newPage();
    // Watches the widget from the first moment: history shown even briefly is history read.
    await next.addInitScript(() => {
      const w = window as unknown as { __leaked: boolean };
      w.__leaked = false;
      new MutationObserver(() => {
        const text = document.getElementById('switchboard-widget')?.shadowRoot?.textContent ?? '';
        if (text.includes('KIOSK-PRIVATE')) w.__leaked = true;
      }).observe(document, { subtree: true, childList: true, characterData: true });
      const timer = setInterval(() => {
        const root = document.getElementById('switchboard-widget')?.shadowRoot;
        if (root?.textContent?.includes('KIOSK-PRIVATE')) w.__leaked = true;
        if (root?.querySelector('.sb-log')) {
          clearInterval(timer);
          new MutationObserver(() => {
            if (root.textContent?.includes('KIOSK-PRIVATE')) w.__leaked = true;
          }).observe(root, { subtree: true, childList: true, characterData: true });
        }
      }, 1);
    });
    await next.goto(`${server.url}/`);
    await expect.poll(() => next.evaluate(() => localStorage.getItem('switchboard:session'))).toBeNull();
    expect(await next.evaluate(() => localStorage.getItem('switchboard:transcript'))).toBeNull();
    await next.getByRole('button', { name: /Open chat/ }).click();
    await next.getByRole('dialog', DIALOG).getByRole('form', { name: 'Your details' }).waitFor();
    expect(await next.evaluate(() => (window as unknown as { __leaked: boolean }).__leaked)).toBe(false);
    await context.close();
  });

  it('fits a 320 px phone and a landscape phone, with touch targets a finger can use', async () => {
    const context = await browser.newContext({
      viewport: { width: 320, height: 568 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.getByRole('button', { name: /Open chat/ }).click();
    const dialog = page.getByRole('dialog', DIALOG);
    await dialog.getByRole('form', { name: 'Your details' }).waitFor();
    const box = async () => {
      const b = (await dialog.boundingBox())!;
      return [b.x, b.y, b.width, b.height].map(Math.round);
    };
    expect(await box()).toEqual([0, 0, 320, 568]);
    for (const name of ['Download transcript', 'Minimize chat']) {
      const b = (await dialog.getByRole('button', { name }).boundingBox())!;
      expect([b.width, b.height]).toEqual([44, 44]);
    }
    const start = (await dialog.getByRole('button', { name: 'Start chat' }).boundingBox())!;
    expect(start.height).toBeGreaterThanOrEqual(44);
    await screenshot(page, 'phone-320');
    // Turned sideways, the keyboard open: the header must stay on the screen.
    await page.setViewportSize({ width: 740, height: 360 });
    await expect.poll(box).toEqual([0, 0, 740, 360]);
    await screenshot(page, 'phone-landscape');
    await context.close();
  });

  it('lets each text take its own direction, and adds no landmark to the host page', async () => {
    const { page, context } = await newRecordedContext(browser);
    const banners = await (async () => {
      await page.goto(`${server.url}/`);
      return page.getByRole('banner').count();
    })();
    const dialog = await openChat(page);
    const survey = dialog.locator('form.sb-form').filter({ hasText: 'Your details' });
    expect(await survey.getByLabel('Your name').getAttribute('dir')).toBe('auto');
    await answerPreChat(dialog);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    expect(await input.getAttribute('dir')).toBe('auto');
    await say(dialog, 'שלום, החשבון שלי גבוה מדי');
    const bubble = dialog.locator('.sb-bubble', { hasText: 'שלום' });
    expect(await bubble.evaluate((b) => [b.getAttribute('dir'), getComputedStyle(b).direction])).toEqual([
      'auto',
      'rtl',
    ]);
    // The chat's title bar sits inside the dialog: the page keeps the banners it had.
    expect(await page.getByRole('banner').count()).toBe(banners);
    await dialog.getByRole('heading', { name: 'Northwind Fiber Support' }).waitFor();
    await context.close();
  });

  it('keeps its own English words left to right, in English, on a right-to-left page', async () => {
    // A page of its own (a real server: Chromium lets only such a page reach a loopback WebSocket).
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>متجر</title></head>
<body><h1>مرحبا بكم في متجرنا</h1><script src="${server.url}/widget/loader.js" data-title="دعم نورثويند!"></script></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, 'localhost', r));
    const { page, context } = await newRecordedContext(browser);
    try {
      await page.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
      await page.getByRole('button', { name: /Open chat/ }).click();
      const dialog = page.getByRole('dialog', { name: 'دعم نورثويند!' });
      const survey = dialog.locator('form.sb-form').filter({ hasText: 'Your details' });
      await survey.waitFor();
      // What a screen reader and the layout go by: the language and direction each node inherits.
      const langAndDirection = (node: Locator) =>
        node.evaluate((el) => [el.matches(':lang(en)'), getComputedStyle(el).direction]);
      expect(await langAndDirection(dialog)).toEqual([true, 'ltr']);
      expect(await langAndDirection(survey.getByText('What can we help with?'))).toEqual([true, 'ltr']);
      expect(await langAndDirection(page.getByRole('button', { name: /^Minimize chat: / }))).toEqual([
        true,
        'ltr',
      ]);
      // The host's title, and what the customer writes, still read right to left.
      expect(
        await dialog
          .getByRole('heading')
          .locator('bdi')
          .evaluate((b) => getComputedStyle(b).direction),
      ).toBe('rtl');
      await survey.getByLabel('Your name').fill('سارة');
      expect(await survey.getByLabel('Your name').evaluate((f) => getComputedStyle(f).direction)).toBe('rtl');
      await screenshot(page, 'rtl-host-page');
    } finally {
      await context.close();
      host.close();
    }
  });
});
