/**
 * The widget's behaviours against the Direct Line stand-in, whose scripted bot can produce every
 * event the widget draws (queue, agent join, hero cards, end, surveys) on demand.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launch, newRecordedContext, screenshot } from './support/browser.js';
import { answerPreChat, conversationOf, openChatAt, say } from './support/chat-page.js';
import { seriousViolations } from '../support/axe.js';
import { dropFile, pasteFile } from '../support/browser-files.js';
import { png } from '../support/sample-files.js';
import {
  CHAT_AUTH_SECRET,
  chatToken,
  provideTokens,
  providerCalls,
  startSignedInSite,
  type SignedInSite,
} from './support/signed-in.js';
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

const openChat = (page: Page) => openChatAt(page, server.url);

const receivedEvents = (name: string) => server.received.filter((a) => a.type === 'event' && a.name === name);

describe('chat widget behaviour (stand-in server)', () => {
  it('sends visitor details, portal navigation and the host context when the chat starts', async () => {
    const { page, context } = await newRecordedContext(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Understanding your bill' }).click();
    await page.getByRole('searchbox', { name: 'Search the help center' }).fill('router');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const before = receivedEvents('visitorContext').length;
    await page.getByRole('button', { name: /Open chat/ }).click();
    await expect.poll(() => receivedEvents('visitorContext').length).toBe(before + 1);
    const ctx = receivedEvents('visitorContext').at(-1)!;
    expect(ctx.value).toMatchObject({
      visitor: {
        browser: expect.stringMatching(/^Chrome \d+/),
        os: 'Linux',
        language: 'en-US',
        authenticated: true,
        device: 'desktop',
      },
      custom: { plan: 'Gigabit', accountId: 'NW-104233', region: 'Seattle' },
      userName: 'Jordan Lee',
    });
    const nav = (ctx.value as { portalNavigation: Array<{ kind: string; title: string }> }).portalNavigation;
    expect(nav.map((e) => [e.kind, e.title])).toEqual([
      ['page', 'Northwind Fiber · Help Center'],
      ['article', 'Understanding your bill'],
      ['search', 'router'],
    ]);
    expect(ctx.from?.id).toMatch(/^dl_/);

    // Navigation during the chat goes out as it happens.
    const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    // The page named its signed-in visitor: the form has the name ready to check, not to type.
    const name = dialog.locator('form.sb-form').getByLabel('Your name');
    await expect.poll(() => name.inputValue()).toBe('Jordan Lee');
    await answerPreChat(dialog);
    await page
      .getByRole('button', { name: /Minimize chat/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'What do the lights on my router mean?' }).click();
    await expect
      .poll(() => receivedEvents('portalNavigation').at(-1)?.value)
      .toMatchObject({
        entries: [{ kind: 'article', title: 'What do the lights on my router mean?' }],
      });
    // A page load during the chat is reported once the chat has reconnected.
    await page.reload();
    await expect
      .poll(() => receivedEvents('portalNavigation').at(-1)?.value)
      .toMatchObject({ entries: [{ kind: 'page', title: 'Northwind Fiber · Help Center' }] });
    await context.close();
  });

  it('shows suggested actions, hero cards, an agent joining from the queue, and safe text', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);

    // Typing goes out while the visitor types, at most one per 3 s.
    const typingBefore = server.received.filter((a) => a.type === 'typing').length;
    await dialog
      .getByRole('textbox', { name: 'Type your message' })
      .pressSequentially('hello there', { delay: 20 });
    await expect.poll(() => server.received.filter((a) => a.type === 'typing').length).toBe(typingBefore + 1);
    await dialog.getByRole('textbox', { name: 'Type your message' }).fill('');

    await dialog
      .getByRole('group', { name: 'Suggested replies' })
      .getByRole('button', { name: 'Router lights' })
      .click();
    // The chip disappears once used; focus must stay in the chat, on the message box.
    await expect.poll(() => focusedLabel(page)).toBe('Type your message');
    const card = dialog.locator('.sb-card').filter({ hasText: 'What do the lights on my router mean?' });
    await card.waitFor();
    const link = card.getByRole('link', { name: 'Read the article' });
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await link.getAttribute('target')).toBe('_blank');
    await card.getByRole('button', { name: 'That fixed it' }).click();
    await dialog.locator('.sb-msg-me', { hasText: 'That fixed it' }).waitFor();

    await say(dialog, 'html');
    await dialog.getByText('<img src=x onerror="window.__xss=1"><b>bold?</b> javascript:alert(1)').waitFor();
    expect(await dialog.locator('.sb-log img, .sb-log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    await say(dialog, 'Talk to an agent');
    await dialog.getByText("You're number 2 in line. Estimated wait: about 2 minutes.").waitFor();
    // Minimized, new messages count on the launcher.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /Open chat: Northwind Fiber Support \(\d unread\)/ }).click();
    await dialog.getByText('Alex joined the conversation').waitFor();
    await dialog
      .locator('.sb-msg-them')
      .filter({ hasText: "Hi, I'm Alex." })
      .locator('.sb-sender', { hasText: 'Alex' })
      .waitFor();
    await expect.poll(() => dialog.locator('.sb-subtitle').textContent()).toBe('Chatting with Alex');
    await expect.poll(() => dialog.locator('.sb-banner').isHidden()).toBe(true);
    await screenshot(page, '4-agent-and-card');
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download transcript' }).click(),
    ]);
    const transcript = await readFile((await download.path())!, 'utf8');
    expect(transcript).toContain('Northwind Fiber Support — chat transcript');
    expect(transcript).toMatch(/You: Talk to an agent/);
    expect(transcript).toMatch(/Alex: Hi, I'm Alex/);
    expect(transcript).toContain('— Alex joined the conversation —');
    await context.close();
  });

  it('tells a transferred customer to stay, waits with them, and names the next agent', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    await say(dialog, 'Talk to an agent');
    await dialog.getByText("Hi, I'm Alex.", { exact: false }).waitFor();
    const id = await conversationOf(page);

    // As the bot sends it: the widget's event, with words for clients that do not know it.
    server.botSends(id, {
      type: 'event',
      name: 'agentLeft',
      value: { name: 'Alex', transfer: true },
      text: 'Alex is transferring you to another agent. Please stay in this chat: they will be with you shortly.',
    });
    await dialog
      .locator('.sb-notice')
      .filter({ hasText: 'Alex is transferring you to another agent. Please stay in this chat' })
      .waitFor();
    await expect.poll(() => dialog.locator('.sb-subtitle').textContent()).toBe('Waiting for the next agent');
    expect(await dialog.getByRole('textbox', { name: 'Type your message' }).isVisible()).toBe(true);
    server.botSends(id, {
      type: 'event',
      name: 'queuePosition',
      value: { position: 1, estimatedWaitSeconds: 60 },
    });
    await dialog.getByText("You're next in line. Estimated wait: about 1 minute.").waitFor();
    await expect.poll(() => dialog.locator('.sb-subtitle').textContent()).toBe('Waiting for an agent');
    await screenshot(page, '4b-transferred');
    expect(await seriousViolations(page)).toEqual([]);

    server.botSends(id, { type: 'event', name: 'agentJoined', value: { name: 'Sam Chen' } });
    await expect.poll(() => dialog.locator('.sb-subtitle').textContent()).toBe('Chatting with Sam Chen');
    expect(await dialog.locator('.sb-avatar').textContent()).toBe('SC');
    await expect.poll(() => dialog.locator('.sb-banner').isHidden()).toBe(true);
    // The agent's initials on the header's circle: axe checks their contrast (WCAG 1.4.3).
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('takes the chat up again when the agent reopens it, here and after a reload', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const id = await conversationOf(page);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    await say(dialog, 'bye');
    await dialog.locator('form.sb-form').filter({ hasText: 'How did we do?' }).waitFor();
    await expect.poll(() => input.isHidden()).toBe(true);

    server.botSends(id, {
      type: 'event',
      name: 'conversationReopened',
      value: { name: 'Alex Rivera' },
      text: 'Alex Rivera reopened the chat. You can reply here.',
    });
    server.botSends(id, {
      from: { id: 'agent-alex', name: 'Alex Rivera' },
      text: 'The outage is fixed now.',
    });
    await dialog.getByText('Alex Rivera reopened the chat. You can reply here.').waitFor();
    await dialog.getByText('The outage is fixed now.').waitFor();
    await expect.poll(() => input.isVisible()).toBe(true);
    await expect.poll(() => dialog.locator('.sb-subtitle').textContent()).toBe('Chatting with Alex Rivera');
    // The ended chat's survey is moot: it comes again when this one ends.
    expect(await dialog.locator('form.sb-form').filter({ hasText: 'How did we do?' }).count()).toBe(0);
    await screenshot(page, '5b-reopened');
    await say(dialog, 'Thanks, it works');
    await expect.poll(() => server.received.at(-1)?.text).toBe('Thanks, it works');

    // The page is left and come back to: the reopened chat resumes, with what was said.
    await page.reload();
    const again = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    await again.getByText('The outage is fixed now.').waitFor();
    await again.locator('.sb-msg-me', { hasText: 'Thanks, it works' }).waitFor();
    expect(await again.getByRole('textbox', { name: 'Type your message' }).isVisible()).toBe(true);
    expect(await conversationOf(page)).toBe(id);
    await context.close();
  });

  it('ends with a satisfaction survey, then starts a fresh chat on the next visit', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const first = receivedEvents('visitorContext').at(-1)!;
    await say(dialog, 'bye');
    await dialog.getByText('The conversation has ended').waitFor();
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Type your message' }).isHidden()).toBe(true);
    const csat = dialog.locator('form.sb-form').filter({ hasText: 'How did we do?' });
    await csat.getByRole('radio', { name: '4 stars' }).click();
    await csat.getByLabel('Anything else? (optional)').fill('Quick and friendly');
    await screenshot(page, '5-csat');
    expect(await seriousViolations(page)).toEqual([]);
    await csat.getByRole('button', { name: 'Send feedback' }).click();
    await dialog.getByText('Thanks for your feedback!').waitFor();
    await expect
      .poll(() => server.received.at(-1)?.value)
      .toEqual({ csat: { rating: 4, comment: 'Quick and friendly' } });

    await page.reload();
    await page.getByRole('button', { name: /Open chat/ }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: /Open chat/ }).click();
    await expect.poll(() => receivedEvents('visitorContext').at(-1)).not.toBe(first);
    await page.getByRole('dialog').getByRole('form', { name: 'Your details' }).waitFor();
    await context.close();
  });

  it('lets the customer end the chat after confirming', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    await dialog.getByRole('button', { name: 'End chat' }).click();
    const confirm = dialog.getByRole('group', { name: 'End the chat?' });
    await confirm.getByRole('button', { name: 'Keep chatting' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await screenshot(page, '6-end-confirm');
    // Nobody but the bot served this customer: there is no agent to rate.
    expect(await confirm.getByRole('radiogroup').count()).toBe(0);
    await confirm.getByRole('button', { name: 'End chat' }).click();
    await dialog.getByText('You ended the chat').waitFor();
    expect(server.received.at(-1)).toMatchObject({ type: 'endOfConversation' });
    expect(server.received.at(-1)?.value).toBeUndefined();
    await dialog.getByRole('button', { name: 'Start a new chat' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'End chat' }).count()).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: /Open chat/ }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await context.close();
  });

  it('lets a customer an agent served rate them as they end the chat', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    await say(dialog, 'Talk to an agent');
    await dialog.getByText('Alex joined the conversation').waitFor();
    await dialog.getByRole('button', { name: 'End chat' }).click();
    const confirm = dialog.getByRole('group', { name: 'End the chat?' });
    const stars = confirm.getByRole('radiogroup', { name: 'Rate your chat with Alex (optional)' });
    await stars.getByRole('radio', { name: '4 stars' }).click();
    await screenshot(page, '6-end-and-rate');
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'End chat' }).click();
    await dialog.getByText('You ended the chat').waitFor();
    expect(server.received.at(-1)).toMatchObject({
      type: 'endOfConversation',
      value: { csat: { rating: 4 } },
    });
    await context.close();
  });

  it('starts afresh, showing nothing of it, when the server no longer knows the conversation (404)', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const conversationId = [...server.conversations.keys()].at(-1)!;
    server.forget(conversationId);
    await page.reload();
    // The chat ended while no page was open: whoever loads the page next must not read it.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('switchboard:session'))).toBeNull();
    await page.getByRole('button', { name: /Open chat/ }).click();
    await page.getByRole('dialog').getByRole('form', { name: 'Your details' }).waitFor();
    expect(await page.getByRole('dialog').getByText('Thanks, Jordan Lee!').count()).toBe(0);
    await context.close();
  });

  it('waits out a 429 and sends the message again, once, without telling the customer it failed', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    server.refuseMessages = 2;
    await say(dialog, 'my bill doubled');
    // Meanwhile the message stays in the transcript, sending.
    await dialog.getByText('Sending…').waitFor();
    // The stand-in's bot answers "You said: <text>. Visit …" once it has the message.
    await dialog.getByText('my bill doubled. Visit', { exact: false }).waitFor();
    expect(server.refuseMessages).toBe(0);
    expect(server.received.filter((a) => a.type === 'message' && a.text === 'my bill doubled')).toHaveLength(
      1,
    );
    expect(await dialog.getByText("Your message couldn't be sent", { exact: false }).count()).toBe(0);
    await context.close();
  });

  it('works over polling when WebSockets are blocked', async () => {
    server.refuseSockets = true;
    try {
      const { page, context, requests } = await newRecordedContext(browser);
      const dialog = await openChat(page);
      await answerPreChat(dialog);
      await say(dialog, 'still there?');
      await dialog.getByText('You said: still there?', { exact: false }).waitFor();
      expect(requests.filter((u) => /\/activities\?watermark=/.test(u)).length).toBeGreaterThan(0);
      await context.close();
    } finally {
      server.refuseSockets = false;
    }
  });

  it("falls back to polling when the host page's CSP refuses the stream (an error, and no close)", async () => {
    // The page reaches the server as localhost, which its CSP allows; the stand-in names its stream
    // by address (ws://127.0.0.1), which it does not: Chromium reports that socket with `error`
    // alone. The demo page opened at 127.0.0.1 meets the same with the real server's localhost URL.
    const named = server.url.replace('127.0.0.1', 'localhost');
    const csp = [
      "default-src 'self'",
      `script-src ${named}`,
      `connect-src ${named}`,
      "style-src 'unsafe-inline'",
    ].join('; ');
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp });
      res.end(`<!doctype html><title>Strict site</title><h1>Strict</h1>
        <script src="${named}/widget/loader.js" data-title="Strict help"></script>`);
    });
    await new Promise<void>((r) => host.listen(0, 'localhost', r));
    const { page, context, requests } = await newRecordedContext(browser);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) refused.push(m.text());
    });
    try {
      await page.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
      await page.getByRole('button', { name: 'Open chat: Strict help' }).click();
      const dialog = page.getByRole('dialog', { name: 'Strict help' });
      await dialog.getByText("Hi! I'm the Northwind virtual assistant.").waitFor();
      await answerPreChat(dialog);
      await say(dialog, 'still there?');
      await dialog.getByText('You said: still there?', { exact: false }).waitFor();
      expect(await dialog.locator('.sb-subtitle').textContent()).toBe('Online');
      expect(refused.some((t) => t.includes('ws://127.0.0.1:'))).toBe(true);
      expect(requests.filter((u) => /\/activities\?watermark=/.test(u)).length).toBeGreaterThan(0);
    } finally {
      await context.close();
      host.close();
    }
  });

  it('says where a long message was cut, and sends what fits', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    const note = dialog.getByText(/A message holds up to 4,000 characters/);
    await input.fill('log line '.repeat(300)); // 2,700 characters: nothing to say
    expect(await note.isVisible()).toBe(false);
    // A pasted log of 6,000 characters: the box keeps 4,000 and says so.
    await input.focus();
    await page.keyboard.insertText('0123456789'.repeat(600));
    expect(await input.inputValue()).toHaveLength(4000);
    await note.waitFor();
    await input.press('Enter');
    await expect
      .poll(() => server.received.some((a) => a.type === 'message' && a.text?.length === 4000))
      .toBe(true);
    await expect.poll(() => note.isVisible()).toBe(false);
    await context.close();
  });

  it('counts the limit in characters as the server does, and never cuts one in half', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    const note = dialog.getByText(/A message holds up to 4,000 characters/);
    const a = (n: number) => 'a'.repeat(n);
    const coder = '👩🏽‍💻'; // four code points joined into one character
    const typeAtEnd = async (before: string, typed: string) => {
      await input.fill(before);
      await input.focus();
      await page.keyboard.press('End');
      await page.keyboard.insertText(typed);
      return { value: await input.inputValue(), note: await note.isVisible() };
    };
    // An emoji is one character of the 4,000, though two UTF-16 units: it fits after 3,999.
    expect(await typeAtEnd(a(3999), '😀')).toEqual({ value: a(3999) + '😀', note: true });
    // What does not fit whole is refused whole, and the note says why nothing came.
    expect(await typeAtEnd(a(3997), coder)).toEqual({ value: a(3997), note: true });
    expect(await typeAtEnd(a(3999), 'e\u0301')).toEqual({ value: a(3999), note: true });
    expect(await typeAtEnd(a(3990), 'b'.repeat(20))).toEqual({ value: a(3990) + 'b'.repeat(10), note: true });
    expect(await typeAtEnd('', '😀'.repeat(2100))).toEqual({ value: '😀'.repeat(2100), note: false });
    expect(await typeAtEnd(a(3996), coder)).toEqual({ value: a(3996) + coder, note: true });
    await input.press('Enter');
    await expect
      .poll(() => server.received.some((m) => m.type === 'message' && m.text === a(3996) + coder))
      .toBe(true);
    await expect.poll(() => note.isVisible()).toBe(false);
    await context.close();
  });

  it('offers no Send for text that shows nothing: zero-width characters, fillers, bidi controls', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    const invisible = ['\u200B\u200C\u200D\uFEFF', '\u3164', ' \u202E\u2066\u200F '];
    for (const text of invisible) {
      await input.fill(text);
      await input.press('Enter');
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    }
    await say(dialog, 'visible after');
    await expect
      .poll(() => server.received.some((m) => m.type === 'message' && m.text === 'visible after'))
      .toBe(true);
    const blank = server.received.filter(
      (m) => m.type === 'message' && invisible.some((t) => m.text === t.trim()),
    );
    expect(blank).toEqual([]);
    await context.close();
  });

  it('names the transcript by the local date, the date its lines carry', async () => {
    // A zone whose date is not the UTC date now: UTC+14 from 10:00 UTC, UTC−11 before 11:00 UTC.
    const timezoneId = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const context = await browser.newContext({ timezoneId, locale: 'en-US' });
    try {
      const page = await context.newPage();
      const dialog = await openChat(page);
      await answerPreChat(dialog);
      const local = new Intl.DateTimeFormat('en-CA', { timeZone: timezoneId }).format(new Date());
      expect(local).not.toBe(new Date().toISOString().slice(0, 10));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: 'Download transcript' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`chat-transcript-${local}.txt`);
    } finally {
      await context.close();
    }
  });

  it('keeps focus in the chat when it ends: on the rating form, or on a new chat', async () => {
    const { page, context } = await newRecordedContext(browser);
    try {
      const dialog = await openChat(page);
      await answerPreChat(dialog);
      await say(dialog, 'bye');
      await dialog.getByRole('form', { name: 'How did we do?' }).waitFor();
      await expect.poll(() => focusedLabel(page)).toBe('1 star');

      // Ended with the button: no rating comes, and "Start a new chat" takes focus.
      await dialog.getByRole('button', { name: 'Start a new chat' }).click();
      await answerPreChat(dialog);
      await dialog.getByRole('button', { name: 'End chat' }).first().click();
      await dialog
        .getByRole('group', { name: 'End the chat?' })
        .getByRole('button', { name: 'End chat' })
        .click();
      await dialog.getByText('You ended the chat').waitFor();
      await expect.poll(() => focusedText(page)).toBe('Start a new chat');
    } finally {
      await context.close();
    }
  });

  it('announces a reply that comes while the chat is minimized, from outside the hidden window', async () => {
    const { page, context } = await newRecordedContext(browser);
    try {
      const dialog = await openChat(page);
      await answerPreChat(dialog);
      await say(dialog, 'I want an agent');
      await page.getByRole('button', { name: 'Minimize chat', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      const announced = () =>
        page.evaluate(() => {
          const root = document.getElementById('switchboard-widget')?.shadowRoot;
          const live = [...(root?.querySelectorAll('[aria-live="polite"]') ?? [])].filter(
            (el) => !el.closest('.sb-window'),
          );
          return live.map((el) => el.textContent).join(' | ');
        });
      await expect
        .poll(announced)
        .toBe("New message from Alex: Hi, I'm Alex. I can see your plan — how can I help?");
      await page.getByRole('button', { name: /Open chat: Northwind Fiber Support \(1 unread\)/ }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('ends the chat in every tab at once when the customer ends it in one', async () => {
    const { page, context } = await newRecordedContext(browser);
    try {
      const dialog = await openChat(page);
      await answerPreChat(dialog);
      // A second tab of the same site resumes the same chat, open as it was.
      const other = await context.newPage();
      await other.goto(`${server.url}/`);
      const otherDialog = other.getByRole('dialog', { name: 'Northwind Fiber Support' });
      await otherDialog.getByText('Thanks, Jordan Lee!').waitFor();
      await otherDialog.locator('.sb-subtitle', { hasText: 'Online' }).waitFor();

      await dialog.getByRole('button', { name: 'End chat' }).first().click();
      await dialog
        .getByRole('group', { name: 'End the chat?' })
        .getByRole('button', { name: 'End chat' })
        .click();
      await dialog.getByText('You ended the chat').waitFor();
      // The other tab hears the customer's own end on its stream, and ends with it.
      await otherDialog.getByText('You ended the chat').waitFor({ timeout: 3000 });
      expect(await otherDialog.getByRole('textbox', { name: 'Type your message' }).isHidden()).toBe(true);
      expect(await otherDialog.locator('.sb-subtitle').textContent()).toBe('Conversation ended');
    } finally {
      await context.close();
    }
  });

  it("tells of the router's lights as the assistant's article does", async () => {
    const { page, context } = await newRecordedContext(browser);
    try {
      await page.goto(`${server.url}/`);
      const link = page.getByRole('link', { name: 'What do the lights on my router mean?' });
      const summary = (await link.textContent()) ?? '';
      expect(summary).toContain('Solid white, blinking white, orange and red');
      await link.click();
      const article = page.locator('#article');
      await article.getByText('Solid white means online').waitFor();
      const text = (await article.textContent()) ?? '';
      // services/demo/knowledge-articles.ts: white, blinking white, orange and red; no blue, no amber.
      for (const light of ['Blinking white', 'Solid orange', 'Blinking orange', 'Blinking red', 'Solid red'])
        expect(text).toContain(light);
      expect(`${summary} ${text}`).not.toMatch(/amber|blinking blue/i);
    } finally {
      await context.close();
    }
  });

  it('is keyboard operable: focus on the survey, Escape closes and focus returns to the chat button', async () => {
    const { page, context } = await newRecordedContext(browser);
    await page.goto(`${server.url}/`);
    const launcher = page.getByRole('button', { name: /Open chat/ });
    await launcher.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    await dialog.waitFor();
    // The survey the bot waits for comes after the chat opened: focus goes to its first field.
    await expect.poll(() => focusedFieldLabel(page)).toBe('Your name');
    // Answers hold what the bot takes (500 characters), not more.
    const survey = dialog.getByRole('form', { name: 'Your details' });
    expect(await survey.getByLabel('Your name').getAttribute('maxlength')).toBe('500');
    expect(await survey.getByLabel('Email').getAttribute('maxlength')).toBe('500');
    expect(
      await page.getByRole('button', { name: /Minimize chat: Northwind/ }).getAttribute('aria-expanded'),
    ).toBe('true');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() =>
        page.evaluate(
          () => document.getElementById('switchboard-widget')?.shadowRoot?.activeElement?.className,
        ),
      )
      .toBe('sb-launcher');
    await context.close();
  });

  it('embeds in a page of another origin with one script tag', async () => {
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Partner site</title><h1>Partner</h1>
        <script src="${server.url}/widget/loader.js" data-title="Partner help"></script>`);
    });
    await new Promise<void>((r) => host.listen(0, 'localhost', r));
    const { page, context, foreignRequests } = await newRecordedContext(browser);
    try {
      await page.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
      await page.getByRole('button', { name: 'Open chat: Partner help' }).click();
      const dialog = page.getByRole('dialog', { name: 'Partner help' });
      await dialog.getByRole('form', { name: 'Your details' }).waitFor();
      await answerPreChat(dialog);
      const apiHost = new URL(server.url).host;
      const pageHost = new URL(page.url()).host;
      expect(foreignRequests(apiHost).every((u) => new URL(u).host === pageHost)).toBe(true);
    } finally {
      await context.close();
      host.close();
    }
  });
});

describe('following the conversation (stand-in server)', () => {
  /** How far the transcript's end is below what the customer sees, in pixels. */
  const belowView = (dialog: Locator) =>
    dialog.locator('.sb-log').evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight);

  /** A chat long enough to scroll, at its end. */
  async function longChat(page: Page): Promise<Locator> {
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    for (const n of [1, 2, 3]) {
      await say(dialog, `question ${n}`);
      await dialog.getByText(`You said: question ${n}.`, { exact: false }).waitFor();
    }
    await expect
      .poll(() => dialog.locator('.sb-log').evaluate((l) => l.scrollHeight > l.clientHeight))
      .toBe(true);
    await expect.poll(() => belowView(dialog)).toBeLessThan(1);
    return dialog;
  }

  it('stays at the end as notices and bars appear below the transcript and new messages arrive', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await longChat(page);
    // A refused file: its notice stays above the message box, and the transcript is that much shorter.
    await dropFile(dialog, {
      name: 'evil.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await dialog.getByRole('alert').getByText("“evil.exe” can't be sent", { exact: false }).waitFor();
    await expect.poll(() => belowView(dialog)).toBeLessThan(1);
    for (const n of [4, 5]) {
      await say(dialog, `question ${n}`);
      await dialog.getByText(`You said: question ${n}.`, { exact: false }).waitFor();
      await expect.poll(() => belowView(dialog)).toBeLessThan(1);
    }
    // The confirmation bar does not cover the latest message.
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await dialog.getByRole('group', { name: 'End the chat?' }).waitFor();
    await expect.poll(() => belowView(dialog)).toBeLessThan(1);
    await dialog.getByRole('button', { name: 'Keep chatting' }).click();
    // The end of the chat and its survey come into view.
    await say(dialog, 'bye');
    const csat = dialog.locator('form.sb-form').filter({ hasText: 'How did we do?' });
    await csat.waitFor();
    await expect.poll(() => belowView(dialog)).toBeLessThan(1);
    await screenshot(page, '7-followed-to-the-end');
    await context.close();
  });

  it('keeps the place of a customer who scrolled up to read', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await longChat(page);
    const log = dialog.locator('.sb-log');
    await log.evaluate((l) => (l.scrollTop = 0));
    await expect.poll(() => belowView(dialog)).toBeGreaterThan(40);
    await say(dialog, 'question 4');
    await dialog.getByText('You said: question 4.', { exact: false }).waitFor();
    await dropFile(dialog, {
      name: 'evil.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await dialog.getByRole('alert').getByText("“evil.exe” can't be sent", { exact: false }).waitFor();
    expect(await log.evaluate((l) => l.scrollTop)).toBe(0);
    await context.close();
  });
});

describe('files in the chat (stand-in server)', () => {
  /** Picks a file the way a customer does: the paperclip opens the browser's file chooser. */
  async function attach(
    page: Page,
    dialog: Locator,
    file: { name: string; mimeType: string; buffer: Buffer },
  ) {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      dialog.getByRole('button', { name: 'Attach a file' }).click(),
    ]);
    await chooser.setFiles(file);
  }

  it('sends a photo with a caption as a thumbnail, and a PDF to download, and keeps them over a reload', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    expect(await dialog.locator('input[type=file]').getAttribute('accept')).toBe(
      'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain',
    );

    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    await input.fill('My router right now');
    await attach(page, dialog, { name: 'router.png', mimeType: 'image/png', buffer: png(48) });
    const staged = dialog.getByRole('group', { name: 'File to send' });
    await staged.getByText('router.png').waitFor();
    // Picking leaves the caption alone and the message box focused: Enter sends both.
    expect(await input.inputValue()).toBe('My router right now');
    await expect.poll(() => focusedLabel(page)).toBe('Type your message');
    await input.press('Enter');
    await staged.waitFor({ state: 'hidden' });

    const mine = dialog.locator('.sb-msg-me', { hasText: 'My router right now' });
    const thumb = mine.getByRole('img', { name: 'router.png' });
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.src)).toMatch(/^blob:/);
    await dialog.getByText('Thanks, I got router.png.').waitFor();
    // The pending copy gave way to the stored one: the message shows once, sent.
    expect(await mine.count()).toBe(1);
    expect(await dialog.locator('[data-pending]').count()).toBe(0);
    const upload = server.received.findLast((a) => a.type === 'message' && a.text === 'My router right now');
    expect(upload?.attachments).toEqual([
      { contentType: 'image/png', name: 'router.png', contentUrl: expect.stringMatching(/\/attachments\//) },
    ]);

    // Keyboard only, no caption: a PDF, which the customer can download again from the chat.
    const pdf = Buffer.from('%PDF-1.4\n% my bill\n');
    const chooserOpened = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Attach a file' }).focus();
    await page.keyboard.press('Enter');
    await (await chooserOpened).setFiles({ name: 'bill.pdf', mimeType: 'application/pdf', buffer: pdf });
    await dialog.getByRole('button', { name: 'Send' }).click();
    const link = dialog.locator('.sb-msg-me').getByRole('link', { name: 'Download bill.pdf' });
    await link.waitFor();
    expect(await link.getAttribute('download')).toBe('bill.pdf');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(await readFile((await download.path())!)).toEqual(pdf);
    await screenshot(page, '8-files');
    expect(await seriousViolations(page)).toEqual([]);

    // A screenshot pasted into the message box is attached as a picked file is, and goes with Send.
    // Text copied from Word or Excel comes with a picture of itself: that paste is the text.
    expect(
      await pasteFile(input, { name: 'image.png', mimeType: 'image/png', buffer: png(4) }, 'Q3 totals'),
    ).toBe(false);
    expect(await pasteFile(input, { name: 'image.png', mimeType: 'image/png', buffer: png(24) })).toBe(true);
    await staged.getByText('image.png').waitFor();
    await input.press('Enter');
    await dialog.locator('.sb-msg-me').getByRole('img', { name: 'image.png' }).waitFor();
    // A file dropped on the chat is attached too; one it cannot send is refused as a picked one is.
    await dropFile(dialog, {
      name: 'setup.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await dialog.getByRole('alert').getByText("“setup.exe” can't be sent", { exact: false }).waitFor();
    await dropFile(dialog.locator('.sb-log'), {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hi'),
    });
    await staged.getByText('notes.txt').waitFor();
    await staged.getByRole('button', { name: 'Remove the file' }).click();

    await page.reload();
    const again = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    const thumbAgain = again.locator('.sb-msg-me').getByRole('img', { name: 'router.png' });
    await thumbAgain.waitFor();
    await expect.poll(() => thumbAgain.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
    await again.locator('.sb-msg-me').getByRole('link', { name: 'Download bill.pdf' }).waitFor();
    await context.close();
  });

  it('refuses in the widget a file too big or of another type, and says why the server refused one', async () => {
    const { page, context } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    // Empty (and so out of the accessibility tree) when nothing is wrong; found by role when it speaks.
    const alert = dialog.locator('.sb-file-error[role=alert]');
    const uploadsBefore = server.uploads.length;

    await attach(page, dialog, {
      name: 'video.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(4 * 1024 * 1024 + 1),
    });
    await expect
      .poll(() => alert.textContent())
      .toBe('“video.png” is too big to send (4.0 MB): files can be up to 4 MB.');
    await dialog.getByRole('alert').filter({ hasText: 'too big' }).waitFor();
    expect(await dialog.getByRole('group', { name: 'File to send' }).isHidden()).toBe(true);

    await attach(page, dialog, {
      name: 'setup.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await expect.poll(() => alert.textContent()).toContain("“setup.exe” can't be sent");
    await screenshot(page, '9-file-refused');
    expect(await seriousViolations(page)).toEqual([]);
    expect(server.uploads.length).toBe(uploadsBefore);

    // One the server refuses: its words are shown, and the caption comes back to the message box.
    await input.fill('Is this the right light?');
    await attach(page, dialog, { name: 'refused.png', mimeType: 'image/png', buffer: png() });
    expect(await alert.textContent()).toBe('');
    await input.press('Enter');
    await expect.poll(() => alert.textContent()).toBe('refused.png does not look like a picture');
    expect(await input.inputValue()).toBe('Is this the right light?');
    expect(server.uploads.slice(uploadsBefore)).toEqual(['refused.png']);
    expect(await dialog.locator('.sb-msg-me', { hasText: 'Is this the right light?' }).count()).toBe(0);
    // A text message still goes, and sending clears the old refusal.
    await input.press('Enter');
    await dialog.getByText('You said: Is this the right light?', { exact: false }).waitFor();
    expect(await alert.textContent()).toBe('');
    await context.close();
  });

  it("shows files the bot sends: its server's to download, others by name only, fetched nowhere", async () => {
    const { page, context, foreignRequests } = await newRecordedContext(browser);
    const dialog = await openChat(page);
    await answerPreChat(dialog);
    await say(dialog, 'Can you send me the setup guide?');
    const answer = dialog.locator('.sb-msg-them', { hasText: 'Here is the setup guide.' });
    await answer.getByRole('link', { name: 'Download setup-guide.pdf' }).waitFor();
    await answer.getByText('diagram.png').waitFor();
    expect(await answer.getByRole('link').count()).toBe(1);
    expect(await answer.locator('img').count()).toBe(0);
    expect(foreignRequests(new URL(server.url).host)).toEqual([]);
    await context.close();
  });

  it("shows a file's name when the host page's CSP refuses blob: images, and the chat goes on", async () => {
    const { port } = new URL(server.url);
    const csp = [
      "default-src 'self'",
      `script-src ${server.url}`,
      `connect-src ${server.url} ws://127.0.0.1:${port}`,
      "img-src 'self'",
      "style-src 'unsafe-inline'",
    ].join('; ');
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp });
      res.end(`<!doctype html><title>Strict site</title><h1>Strict</h1>
        <script src="${server.url}/widget/loader.js" data-title="Strict help"></script>`);
    });
    await new Promise<void>((r) => host.listen(0, 'localhost', r));
    const { page, context } = await newRecordedContext(browser);
    await page.addInitScript(() => {
      const blocked: string[] = [];
      (window as unknown as { __blocked: string[] }).__blocked = blocked;
      document.addEventListener('securitypolicyviolation', (e) => blocked.push(e.blockedURI), true);
    });
    try {
      await page.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
      await page.getByRole('button', { name: 'Open chat: Strict help' }).click();
      const dialog = page.getByRole('dialog', { name: 'Strict help' });
      await answerPreChat(dialog);
      const fetched = server.fileRequests.length;
      await attach(page, dialog, { name: 'lights.png', mimeType: 'image/png', buffer: png() });
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
      await dialog.getByText('Thanks, I got lights.png.').waitFor();
      // The file was fetched, but the page refused to show it as an image: its name stays.
      await expect.poll(() => server.fileRequests.length).toBeGreaterThan(fetched);
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { __blocked: string[] }).__blocked))
        .toContain('blob');
      const mine = dialog.locator('.sb-msg-me', { hasText: 'lights.png' });
      await mine.waitFor();
      expect(await mine.locator('img').count()).toBe(0);
      await say(dialog, 'still here');
      await dialog.getByText('You said: still here', { exact: false }).waitFor();
    } finally {
      await context.close();
      host.close();
    }
  });
});

describe('signed-in chat (stand-in server)', () => {
  let site: SignedInSite;
  beforeAll(async () => {
    site = await startSignedInSite(() => server.url);
  });
  afterAll(() => site?.close());

  /** What the widget sent for a chat token since `from`: the sign-in token, or '' for a guest. */
  const authTokensSent = (from: number) => server.tokenRequests.slice(from).map((b) => b.authToken ?? '');

  async function openSignedIn(page: Page, tokens: string[]): Promise<Locator> {
    await provideTokens(page, tokens);
    await page.goto(site.url);
    await page.getByRole('button', { name: /Open chat/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    await dialog.waitFor();
    return dialog;
  }

  it("sends the site's token, shows who the agent sees, and asks for none again after a reload", async () => {
    server.chatAuthSecret = CHAT_AUTH_SECRET;
    const { page, context } = await newRecordedContext(browser);
    try {
      const token = await chatToken();
      const before = server.tokenRequests.length;
      const dialog = await openSignedIn(page, [token]);
      await dialog.getByText('Signed in as Jordan Lee').waitFor();
      await answerPreChat(dialog);
      expect(authTokensSent(before)).toEqual([token]);
      expect(await providerCalls(page)).toBe(1);
      await screenshot(page, '10-signed-in');
      expect(await seriousViolations(page)).toEqual([]);

      // The conversation carries the identity on the server: a reload resumes it without a token.
      await page.reload();
      const again = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
      await again.getByText('Thanks, Jordan Lee!').waitFor();
      await again.getByText('Signed in as Jordan Lee').waitFor();
      await say(again, 'still me?');
      await again.getByText('You said: still me?', { exact: false }).waitFor();
      expect(await providerCalls(page)).toBe(0);
      expect(server.tokenRequests.length).toBe(before + 1);
    } finally {
      server.chatAuthSecret = null;
      await context.close();
    }
  });

  it('asks the site once more when its token is refused, and a fresh one goes through', async () => {
    server.chatAuthSecret = CHAT_AUTH_SECRET;
    const { page, context } = await newRecordedContext(browser);
    try {
      const [expired, fresh] = [await chatToken(CHAT_AUTH_SECRET, { expired: true }), await chatToken()];
      const before = server.tokenRequests.length;
      const dialog = await openSignedIn(page, [expired, fresh]);
      await dialog.getByRole('form', { name: 'Your details' }).waitFor();
      await dialog.getByText('Signed in as Jordan Lee').waitFor();
      expect(authTokensSent(before)).toEqual([expired, fresh]);
      expect(await dialog.getByRole('button', { name: 'Chat as a guest' }).count()).toBe(0);
    } finally {
      server.chatAuthSecret = null;
      await context.close();
    }
  });

  it("refused twice, says why and lets the customer chat as a guest, for the rest of the page's life", async () => {
    server.chatAuthSecret = CHAT_AUTH_SECRET;
    const { page, context } = await newRecordedContext(browser);
    try {
      const forged = await chatToken('not-the-secret-the-server-knows-0123456789');
      const before = server.tokenRequests.length;
      const chatsBefore = receivedEvents('visitorContext').length;
      const dialog = await openSignedIn(page, [forged]);
      await dialog
        .getByRole('alert')
        .filter({ hasText: "We couldn't confirm that you're signed in" })
        .waitFor();
      const guest = dialog.getByRole('button', { name: 'Chat as a guest' });
      await expect.poll(() => focusedText(page)).toBe('Chat as a guest');
      expect(authTokensSent(before)).toEqual([forged, forged]);
      expect(await providerCalls(page)).toBe(2);
      // Nothing started, and nowhere to type into until they choose.
      expect(receivedEvents('visitorContext').length).toBe(chatsBefore);
      expect(await dialog.getByRole('textbox', { name: 'Type your message' }).isHidden()).toBe(true);
      expect(await dialog.locator('.sb-subtitle').textContent()).toBe('Not connected');
      await screenshot(page, '11-sign-in-refused');
      expect(await seriousViolations(page)).toEqual([]);

      await guest.click();
      await answerPreChat(dialog);
      expect(authTokensSent(before)).toEqual([forged, forged, '']);
      expect(await dialog.getByText('Signed in as', { exact: false }).count()).toBe(0);
      expect(await dialog.getByRole('alert').filter({ hasText: 'refused' }).count()).toBe(0);

      // The choice holds for this page: a new chat starts as a guest without asking the site.
      await dialog.getByRole('button', { name: 'End chat' }).click();
      await dialog
        .getByRole('group', { name: 'End the chat?' })
        .getByRole('button', { name: 'End chat' })
        .click();
      await dialog.getByRole('button', { name: 'Start a new chat' }).click();
      await expect.poll(() => authTokensSent(before)).toEqual([forged, forged, '', '']);
      await dialog.getByRole('form', { name: 'Your details' }).waitFor();
      expect(await providerCalls(page)).toBe(2);
    } finally {
      server.chatAuthSecret = null;
      await context.close();
    }
  });

  it('chats as a guest at once, without a word to the customer, when the server takes no signed-in chats', async () => {
    const { page, context } = await newRecordedContext(browser);
    try {
      const token = await chatToken();
      const before = server.tokenRequests.length;
      const dialog = await openSignedIn(page, [token]);
      await answerPreChat(dialog);
      expect(authTokensSent(before)).toEqual([token, '']);
      expect(await providerCalls(page)).toBe(1);
      expect(await dialog.getByText('Signed in as', { exact: false }).count()).toBe(0);
      expect(await dialog.getByRole('button', { name: 'Chat as a guest' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

/** The label of the form field that has focus inside the widget's shadow root (without its " *"). */
function focusedFieldLabel(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => {
    const active = document.getElementById('switchboard-widget')?.shadowRoot?.activeElement;
    const label = active instanceof HTMLInputElement ? active.labels?.[0] : null;
    return label?.firstChild?.textContent;
  });
}

/** The text of what has focus inside the widget's shadow root. */
function focusedText(page: Page): Promise<string | null | undefined> {
  return page.evaluate(
    () => document.getElementById('switchboard-widget')?.shadowRoot?.activeElement?.textContent,
  );
}

/** The aria-label of what has focus inside the widget's shadow root. */
function focusedLabel(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() =>
    document.getElementById('switchboard-widget')?.shadowRoot?.activeElement?.getAttribute('aria-label'),
  );
}
