/**
 * Acceptance: a customer on the demo portal chats through the widget, reloads the page, and the
 * same chat continues. Runs against the real server when test/support/server.ts exists.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { seriousViolations } from '../support/axe.js';
import { launch, newRecordedContext, screenshot, type RecordedContext } from './support/browser.js';
import { png } from '../support/sample-files.js';
import { freePort } from '../support/server-process.js';
import {
  CHAT_AUTH_SECRET,
  chatToken,
  provideTokens,
  providerCalls,
  startSignedInSite,
  type SignedInSite,
} from './support/signed-in.js';
import { startServerUnderTest, type ServerUnderTest } from './support/server-under-test.js';

describe('chat widget on the demo portal', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let ctx: RecordedContext;

  beforeAll(async () => {
    server = await startServerUnderTest();
    console.info(`[widget e2e] acceptance against the ${server.kind} server at ${server.url}`);
    browser = await launch();
    ctx = await newRecordedContext(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('chats, survives a reload with history, and talks only to its own server', async () => {
    const { page } = ctx;
    onTestFailed(() => screenshot(page, 'failed'));
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.title()).toContain('Northwind Fiber');
    await page.getByRole('link', { name: 'Why is my Wi-Fi slow?' }).click();

    const launcher = page.getByRole('button', { name: /Open chat/ });
    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    await dialog.waitFor();

    // Pre-chat survey, whatever questions the bot asks.
    const survey = dialog.locator('form.sb-form').filter({ hasText: 'Your details' });
    await survey.waitFor({ timeout: 15_000 });
    await screenshot(page, '1-prechat');
    await fillPreChat(survey);
    // The answers go out as the customer's first message, and the bot carries on after it.
    await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 15_000 });

    // A question gets an answer.
    const input = dialog.getByRole('textbox', { name: 'Type your message' });
    await input.fill('My Wi-Fi is slow in the evenings');
    await input.press('Enter');
    await answerTo(dialog, 'My Wi-Fi is slow in the evenings').waitFor({ timeout: 15_000 });
    await screenshot(page, '2-chatting');
    const historyBefore = await dialog.locator('.sb-msg').allTextContents();

    // Reload: the chat reconnects, opens where it was, and shows the history.
    await page.reload();
    const dialogAgain = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
    await dialogAgain.waitFor();
    await dialogAgain.locator('.sb-msg-me', { hasText: 'My Wi-Fi is slow in the evenings' }).waitFor();
    // The bot may still have been adding a follow-up ("Did that help?"): what was there is there.
    const historyAfter = await dialogAgain.locator('.sb-msg').allTextContents();
    expect(historyAfter.slice(0, historyBefore.length)).toEqual(historyBefore);

    const inputAgain = dialogAgain.getByRole('textbox', { name: 'Type your message' });
    await inputAgain.fill('Is there an outage in Seattle?');
    await inputAgain.press('Enter');
    await answerTo(dialogAgain, 'Is there an outage in Seattle?').waitFor({ timeout: 15_000 });
    await screenshot(page, '3-after-reload');

    const host = new URL(server.url).host;
    expect(ctx.foreignRequests(host)).toEqual([]);
    expect(ctx.requests.some((u) => u.includes('/v3/directline/'))).toBe(true);
  }, 60_000);
  it('closes the pre-chat form once the bot took the answers in the chat', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    try {
      await page.goto(`${server.url}/`);
      await page.getByRole('button', { name: /Open chat/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
      const survey = dialog.getByRole('form', { name: 'Your details' });
      await survey.waitFor({ timeout: 15_000 });
      // The survey is what the bot waits for: focus is on its first field, not the message box.
      await expect
        .poll(() =>
          page.evaluate(() => {
            const active = document.getElementById('switchboard-widget')?.shadowRoot?.activeElement;
            return active instanceof HTMLInputElement && active.closest('form[data-prechat]') !== null;
          }),
        )
        .toBe(true);
      // The customer ignores the form and answers in the chat, as the bot asks there.
      const input = dialog.getByRole('textbox', { name: 'Type your message' });
      for (const text of ['my internet is down since this morning', 'Jordan Lee', 'jordan@example.com']) {
        await input.fill(text);
        await input.press('Enter');
        await answerTo(dialog, text).waitFor({ timeout: 15_000 });
      }
      // The bot has the answers: the form goes, so nothing can be sent from it and ignored.
      await dialog.getByText('Details given in the chat — no form needed').waitFor({ timeout: 15_000 });
      expect(await dialog.getByRole('button', { name: 'Start chat' }).count()).toBe(0);
      expect(await dialog.getByText('Thanks — details received').count()).toBe(0);
    } catch (err) {
      await screenshot(page, 'failed-answers-in-chat');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('ends with the bot and takes a satisfaction rating', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    try {
      const { dialog, input } = await chatPastSurvey(page, server.url);
      await input.fill('My router lights are amber');
      await input.press('Enter');
      await answerTo(dialog, 'My router lights are amber').waitFor({ timeout: 15_000 });
      // The answer links to the whole article on the server's public knowledge page (under
      // PUBLIC_URL, which a test server on a free port does not know: the path is what counts here).
      const link = dialog.getByRole('link', { name: 'Read the whole article' }).first();
      await link.waitFor({ timeout: 15_000 });
      const { pathname } = new URL((await link.getAttribute('href')) ?? '');
      expect(pathname).toMatch(/^\/kb\/kb_/);
      const article = await page.request.get(`${server.url}${pathname}`);
      expect(article.status()).toBe(200);
      expect(await article.text()).toContain('<h1>');
      const yes = dialog
        .getByRole('group', { name: 'Suggested replies' })
        .getByRole('button', { name: 'Yes' });
      // The bot asks whether its answer helped (a follow-up message with Yes/No replies).
      if (
        await yes.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        )
      ) {
        await yes.click();
        await answerTo(dialog, 'Yes').waitFor({ timeout: 15_000 });
      }
      await input.fill('goodbye');
      await input.press('Enter');
      const csat = dialog.getByRole('form', { name: 'How did we do?' });
      await csat.waitFor({ timeout: 15_000 });
      await csat.getByRole('radio', { name: '5 stars' }).click();
      await csat.getByRole('button', { name: 'Send feedback' }).click();
      await dialog.getByText('Thanks for your feedback!').waitFor();
      await answerTo(dialog, 'Rated 5 out of 5').waitFor({ timeout: 15_000 });
      await screenshot(page, '7-rated');
      expect(fresh.foreignRequests(new URL(server.url).host)).toEqual([]);
    } catch (err) {
      await screenshot(page, 'failed-csat');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('shows, and keeps, a card number the customer typed masked, as the server stored it', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    // The stream's frames pass through here, so the test can hold back the echo of the customer's
    // message after its acknowledgement came: the page must not keep what was typed meanwhile.
    let holding = false;
    const held: Array<() => void> = [];
    await page.routeWebSocket(/\/stream/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((frame) => (holding ? held.push(() => ws.send(frame)) : ws.send(frame)));
    });
    const storedCopy = () => page.evaluate(() => JSON.stringify({ ...localStorage }));
    try {
      const { dialog, input } = await chatPastSurvey(page, server.url);
      await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 15_000 });
      holding = true;
      const acknowledged = page.waitForResponse(
        (r) => r.request().method() === 'POST' && /\/activities$/.test(r.url()) && r.ok(),
      );
      await input.fill('You charged my card 4111 1111 1111 1111 twice');
      await input.press('Enter');
      await acknowledged;
      await dialog.locator('.sb-msg-me:not([data-pending])', { hasText: 'You charged my card' }).waitFor();
      expect(await storedCopy()).not.toContain('4111 1111 1111 1111');
      // The page goes before the echo came: the reopened chat gets the message from the stream.
      holding = false;
      held.length = 0;
      await page.reload();
      const masked = dialog.locator('.sb-msg-me', {
        hasText: 'You charged my card •••• •••• •••• 1111 twice',
      });
      await masked.waitFor({ timeout: 15_000 });
      expect(await masked.count()).toBe(1);
      expect(await dialog.locator('.sb-msg', { hasText: '4111 1111 1111 1111' }).count()).toBe(0);
      // The copy the page keeps for a reload holds it masked too.
      await expect.poll(storedCopy).toContain('•••• •••• •••• 1111');
      expect(await storedCopy()).not.toContain('4111 1111 1111 1111');
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('sends again a message whose answer was lost on the way back, and the chat holds it once', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    const text = 'My modem restarts every night';
    const clientIds: unknown[] = [];
    try {
      // The first post of this message reaches the server, which stores it; the connection then
      // drops before the answer (what a proxy timing out, or a phone changing networks, does).
      await page.route('**/v3/directline/conversations/*/activities', async (route) => {
        const request = route.request();
        const body = request.method() === 'POST' ? (request.postDataJSON() as Record<string, unknown>) : null;
        if (body?.text !== text) return route.continue();
        clientIds.push((body.channelData as { clientActivityId?: string } | undefined)?.clientActivityId);
        if (clientIds.length > 1) return route.continue();
        await route.fetch();
        return route.abort('connectionreset');
      });
      const { dialog, input } = await chatPastSurvey(page, server.url);
      await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 15_000 });
      await input.fill(text);
      await input.press('Enter');
      await answerTo(dialog, text).waitFor({ timeout: 15_000 });
      // Sent twice under one client id (the second after a second's wait; the stream may have
      // brought the message and its answer back meanwhile), and nobody was told it failed.
      await expect.poll(() => clientIds.length, { timeout: 15_000 }).toBe(2);
      // The widget sends one message after another: once the next one is answered, the repeat's
      // answer has been read.
      await input.fill('Is there an outage in Seattle?');
      await input.press('Enter');
      await answerTo(dialog, 'Is there an outage in Seattle?').waitFor({ timeout: 15_000 });
      expect(typeof clientIds[0]).toBe('string');
      expect(clientIds[1]).toBe(clientIds[0]);
      expect(await dialog.getByText("Your message couldn't be sent").count()).toBe(0);
      await expect.poll(() => dialog.locator('.sb-msg-me', { hasText: text }).count()).toBe(1);
      if (server.kind === 'real') {
        // The server's own record of the chat: the message once.
        const session = JSON.parse(
          (await page.evaluate(() => localStorage.getItem('switchboard:session'))) ?? '{}',
        ) as { conversationId: string; token: string };
        const res = await fetch(
          `${server.url}/v3/directline/conversations/${session.conversationId}/activities?watermark=0`,
          { headers: { Authorization: `Bearer ${session.token}` } },
        );
        const { activities } = (await res.json()) as { activities: Array<{ text?: string }> };
        expect(activities.filter((a) => a.text === text)).toHaveLength(1);
      }
    } catch (err) {
      await screenshot(page, 'failed-lost-answer');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('sends a photo with a caption, refuses one too big or of another type before uploading, and says why the server refused one', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (/\/conversations\/[^/]+\/upload$/.test(new URL(r.url()).pathname)) uploads.push(r.url());
    });
    const chooseFile = async (dialog: Locator, file: { name: string; mimeType: string; buffer: Buffer }) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        dialog.getByRole('button', { name: 'Attach a file' }).click(),
      ]);
      await chooser.setFiles(file);
    };
    try {
      const { dialog, input } = await chatPastSurvey(page, server.url);
      await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 15_000 });

      // Refused in the widget, before any upload.
      await chooseFile(dialog, {
        name: 'speedtest.png',
        mimeType: 'image/png',
        buffer: Buffer.alloc(5 * 1024 * 1024),
      });
      await dialog.getByRole('alert').filter({ hasText: '“speedtest.png” is too big to send' }).waitFor();
      await chooseFile(dialog, { name: 'router.heic', mimeType: 'image/heic', buffer: Buffer.from('heic') });
      await dialog.getByRole('alert').filter({ hasText: "“router.heic” can't be sent" }).waitFor();
      expect(await dialog.getByRole('group', { name: 'File to send' }).isHidden()).toBe(true);
      expect(uploads).toEqual([]);

      // Refused by the server (the bytes are no PNG): its words are shown, the caption kept.
      await input.fill('Here is the photo');
      await chooseFile(dialog, {
        name: 'refused-photo.png',
        mimeType: 'image/png',
        buffer: Buffer.from('not a png'),
      });
      await input.press('Enter');
      const refusal = dialog.getByRole('alert').filter({ hasText: 'refused-photo.png' });
      await refusal.waitFor({ timeout: 15_000 });
      if (server.kind === 'real') expect(await refusal.textContent()).toMatch(/not the image\/png file/);
      expect(await input.inputValue()).toBe('Here is the photo');
      expect(uploads).toHaveLength(1);
      expect(await dialog.locator('.sb-msg-me', { hasText: 'Here is the photo' }).count()).toBe(0);
      await input.fill('');

      const image = png(32);
      await input.fill('This is what the lights look like');
      await chooseFile(dialog, { name: 'router.png', mimeType: 'image/png', buffer: image });
      await input.press('Enter');
      const mine = dialog.locator('.sb-msg-me', { hasText: 'This is what the lights look like' });
      const thumb = mine.getByRole('img', { name: 'router.png' });
      await thumb.waitFor({ timeout: 15_000 });
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(32);
      expect(uploads).toHaveLength(2);
      expect(await mine.count()).toBe(1);
      await screenshot(page, '8-photo-sent');
      expect(await seriousViolations(page)).toEqual([]);

      // On the conversation's stream: the caption with the file, whose link serves the same bytes.
      const session = JSON.parse(
        (await page.evaluate(() => localStorage.getItem('switchboard:session'))) ?? '{}',
      ) as { conversationId: string; token: string; userId: string };
      const auth = { Authorization: `Bearer ${session.token}` };
      const res = await fetch(
        `${server.url}/v3/directline/conversations/${session.conversationId}/activities?watermark=0`,
        { headers: auth },
      );
      const { activities } = (await res.json()) as {
        activities: Array<{
          type: string;
          text?: string;
          from?: { id: string };
          attachments?: Array<{ contentUrl?: string }>;
        }>;
      };
      const sent = activities.filter((a) => a.text === 'This is what the lights look like');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        type: 'message',
        from: { id: session.userId },
        attachments: [
          {
            contentType: 'image/png',
            name: 'router.png',
            contentUrl: expect.stringContaining(
              `/v3/directline/conversations/${session.conversationId}/attachments/`,
            ),
          },
        ],
      });
      const file = await fetch(sent[0]!.attachments![0]!.contentUrl!, { headers: auth });
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer())).toEqual(image);
      expect(fresh.foreignRequests(new URL(server.url).host)).toEqual([]);
    } catch (err) {
      await screenshot(page, 'failed-photo');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);
});

describe('the demo portal reached by another name than its public URL', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let port: number;

  beforeAll(async () => {
    // As `npm start` on a laptop: PUBLIC_URL says localhost, and the reviewer typed 127.0.0.1. The
    // stream URL names localhost, which the demo page's CSP (`connect-src 'self'`) refuses.
    port = await freePort();
    server = await startServerUnderTest({ PUBLIC_URL: `http://localhost:${port}` }, { port });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('chats over polling when the page may not open the stream the server named', async (test) => {
    if (server.kind !== 'real') test.skip(); // the stand-in names its stream by its own address
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) refused.push(m.text());
    });
    try {
      const { dialog, input } = await chatPastSurvey(page, `http://127.0.0.1:${port}`);
      await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 15_000 });
      await input.fill('My Wi-Fi is slow in the evenings');
      await input.press('Enter');
      await answerTo(dialog, 'My Wi-Fi is slow in the evenings').waitFor({ timeout: 15_000 });
      expect(await dialog.locator('.sb-subtitle').textContent()).not.toBe('Connecting…');
      // The stream was refused, so the chat went on over polling: the case this test is about.
      expect(refused.some((t) => t.includes(`ws://localhost:${port}/`))).toBe(true);
    } catch (err) {
      await screenshot(page, 'failed-other-name');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);
});

describe('signed-in chat on a site whose server signs its customers in', () => {
  let server: ServerUnderTest;
  let site: SignedInSite;
  let browser: Browser;

  beforeAll(async () => {
    // The site is another origin, as a real portal is: its page is allowed, and the server checks
    // the tokens its server signs with the secret both share.
    site = await startSignedInSite(() => server.url);
    server = await startServerUnderTest({
      CHAT_AUTH_SECRET,
      ALLOWED_ORIGINS: site.origin,
    });
    console.info(`[widget e2e] signed-in chat against the ${server.kind} server at ${server.url}`);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await site?.close();
  });

  it('starts the chat as the customer the site vouches for, and says so', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    const sent: unknown[] = [];
    page.on('request', (r) => {
      if (r.url() === `${server.url}/widget/token`) sent.push(r.postDataJSON() ?? {});
    });
    try {
      const token = await chatToken();
      await provideTokens(page, [token]);
      await page.goto(site.url);
      await page.getByRole('button', { name: /Open chat/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
      await dialog.getByText('Signed in as Jordan Lee').waitFor({ timeout: 15_000 });
      await fillPreChat(dialog.getByRole('form', { name: 'Your details' }));
      const input = dialog.getByRole('textbox', { name: 'Type your message' });
      await input.fill('My Wi-Fi is slow in the evenings');
      await input.press('Enter');
      await answerTo(dialog, 'My Wi-Fi is slow in the evenings').waitFor({ timeout: 15_000 });
      expect(sent).toEqual([{ authToken: token }]);
      expect(await providerCalls(page)).toBe(1);
      await screenshot(page, '12-signed-in-real');
      expect(await seriousViolations(page)).toEqual([]);

      // A reload resumes the conversation, which carries the identity: no token is asked for.
      await page.reload();
      const again = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
      await again.locator('.sb-msg-me', { hasText: 'My Wi-Fi is slow in the evenings' }).waitFor();
      await again.getByText('Signed in as Jordan Lee').waitFor();
      expect(await providerCalls(page)).toBe(0);
      expect(sent).toHaveLength(1);
      expect(fresh.foreignRequests(new URL(server.url).host).every((u) => u.startsWith(site.origin))).toBe(
        true,
      );
    } catch (err) {
      await screenshot(page, 'failed-signed-in');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('refuses a token signed with another key, and the customer can chat as a guest', async () => {
    const fresh = await newRecordedContext(browser);
    const { page } = fresh;
    const sent: Array<{ authToken?: string }> = [];
    page.on('request', (r) => {
      if (r.url() === `${server.url}/widget/token`)
        sent.push((r.postDataJSON() ?? {}) as { authToken?: string });
    });
    try {
      const forged = await chatToken('a-key-the-switchboard-server-does-not-know-0123');
      await provideTokens(page, [forged]);
      await page.goto(site.url);
      await page.getByRole('button', { name: /Open chat/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
      const alert = dialog.getByRole('alert').filter({ hasText: /\S/ });
      await alert.waitFor({ timeout: 15_000 });
      // Words for the customer; the server's reason (which names the key) is for the site's developers.
      expect(await alert.textContent()).toMatch(/^We couldn't confirm that you're signed in/);
      expect(sent.map((b) => b.authToken)).toEqual([forged, forged]);
      expect(await providerCalls(page)).toBe(2);
      await screenshot(page, '13-refused-real');
      expect(await seriousViolations(page)).toEqual([]);

      await dialog.getByRole('button', { name: 'Chat as a guest' }).click();
      await fillPreChat(dialog.getByRole('form', { name: 'Your details' }));
      await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 15_000 });
      expect(sent).toHaveLength(3);
      expect(sent[2]).not.toHaveProperty('authToken');
      expect(await dialog.getByText('Signed in as', { exact: false }).count()).toBe(0);
    } catch (err) {
      await screenshot(page, 'failed-refused');
      throw err;
    } finally {
      await fresh.context.close();
    }
  }, 60_000);
});

/** The first bot or agent message after the customer's message with this text. */
function answerTo(dialog: Locator, customerText: string): Locator {
  return dialog.locator(`.sb-msg-me:has-text(${JSON.stringify(customerText)}) ~ .sb-msg-them`).first();
}
/** A new chat on the demo page, the pre-chat form answered: its window and message box. */
async function chatPastSurvey(page: Page, serverUrl: string): Promise<{ dialog: Locator; input: Locator }> {
  await page.goto(`${serverUrl}/`);
  await page.getByRole('button', { name: /Open chat/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
  await fillPreChat(dialog.getByRole('form', { name: 'Your details' }));
  return { dialog, input: dialog.getByRole('textbox', { name: 'Type your message' }) };
}

/** Answers whatever pre-chat questions the bot asks, the way a customer would. */
async function fillPreChat(survey: Locator): Promise<void> {
  await survey.waitFor({ timeout: 15_000 });
  for (const field of await survey.locator('.sb-field').all()) {
    const label = (await field.locator('label').textContent()) ?? '';
    const select = field.locator('select');
    if (await select.count()) {
      const options = await select.locator('option').allTextContents();
      await select.selectOption({ label: options[1]! });
      continue;
    }
    const answer = /mail/i.test(label)
      ? 'jordan.lee@example.com'
      : /name/i.test(label)
        ? 'Jordan Lee'
        : 'The Wi-Fi drops every evening';
    await field.locator('input').fill(answer);
  }
  await survey.getByRole('button', { name: 'Start chat' }).click();
}
