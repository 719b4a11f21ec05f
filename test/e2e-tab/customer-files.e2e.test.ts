/**
 * Files both ways, in headless Chromium against the real server. A customer sends the agent a photo
 * and a bill (a Direct Line upload, as Web Chat sends one): the agent's transcript shows the photo
 * itself and downloads the bill, both fetched with the agent's token. The agent sends a customer on
 * the chat widget a file from the composer, which the customer downloads. The sessions these open
 * also serve the transcript download and the keys that move between sessions.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { customerPastSurvey } from '../api/support/live-conversation.js';
import type { Customer } from '../api/support/clients.js';
import { dropFile, pasteFile } from '../support/browser-files.js';
import { PDF, png } from '../support/sample-files.js';
import type { TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  screenshot,
  seriousViolations,
  serverWithAlex,
} from './support/tab-browser.js';

const PNG = png(1);

let server: TestServer;
let browser: Browser;
let agent: Page;
let customer: Customer;

async function upload(files: Array<{ name: string; type: string; bytes: Buffer }>, text: string) {
  const { conversationId, token, userId } = customer.session();
  const form = new FormData();
  form.append(
    'activity',
    new Blob([JSON.stringify({ type: 'message', from: { id: userId }, text })], {
      type: 'application/vnd.microsoft.activity',
    }),
  );
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const res = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/upload`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(200);
}

describe('Teams tab: files between customer and agent', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
  }, 180_000);

  afterAll(async () => {
    customer?.end();
    await browser?.close();
    await server?.close();
  });

  it('shows the photo in the transcript and downloads the bill', async () => {
    customer = await customerPastSurvey(server.url, { userId: 'dl_tabfiles_1', name: 'Ada Lovelace' });
    await customer.post({ type: 'message', text: 'I want to talk to an agent' });
    const session = await acceptOffer(agent, 'Ada Lovelace');
    await upload(
      [
        { name: 'router lights.png', type: 'image/png', bytes: PNG },
        { name: 'bill.pdf', type: 'application/pdf', bytes: PDF },
      ],
      'The lights, and my bill',
    );

    const log = session.getByRole('log', { name: 'Transcript' });
    const message = log.locator('li').filter({ hasText: 'The lights, and my bill' });
    const photo = message.getByRole('img', { name: 'router lights.png' });
    await photo.waitFor({ timeout: 20_000 });
    // The picture itself, fetched with the agent's token: decoded, not a broken image.
    await expect
      .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1);

    const bill = message.getByRole('button', { name: 'bill.pdf' });
    const [download] = await Promise.all([agent.waitForEvent('download'), bill.click()]);
    expect(download.suggestedFilename()).toBe('bill.pdf');
    const saved = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(PDF);

    // The whole conversation as a text file, the files named.
    const [transcript] = await Promise.all([
      agent.waitForEvent('download'),
      session.getByRole('button', { name: 'Download transcript' }).click(),
    ]);
    expect(transcript.suggestedFilename()).toMatch(/^transcript-Ada-Lovelace-\d{4}-\d{2}-\d{2}\.txt$/);
    const text = await readFile((await transcript.path())!, 'utf8');
    expect(text).toContain('Customer: Ada Lovelace');
    expect(text).toMatch(/\] Ada Lovelace: I want to talk to an agent\n/);
    expect(text).toMatch(
      /\] Ada Lovelace: The lights, and my bill \[file: router lights\.png\] \[file: bill\.pdf\]\n/,
    );

    expect(await seriousViolations(agent)).toEqual([]);
    await screenshot(agent, 'customer-files');
  }, 120_000);

  it('sends the customer a file from the composer, with what the agent typed', async () => {
    const chat = await customerAsksForAPerson(browser, server.url, 'Grace Hopper');
    const session = await acceptOffer(agent, 'Grace Hopper');
    const composer = session.getByRole('combobox', { name: 'Message to the customer' });
    await composer.fill('Here are the steps');
    const [chooser] = await Promise.all([
      agent.waitForEvent('filechooser'),
      session.getByRole('button', { name: 'Send a file' }).click(),
    ]);
    await chooser.setFiles({ name: 'reset-steps.pdf', mimeType: 'application/pdf', buffer: PDF });
    // Sent as one message: the words and the file, which the agent opens like any other.
    const message = session
      .getByRole('log', { name: 'Transcript' })
      .locator('li')
      .filter({ hasText: 'Here are the steps' });
    await message.getByRole('button', { name: 'reset-steps.pdf' }).waitFor({ timeout: 20_000 });
    // The stream may bring it before the server's answer reaches the tab and clears the box.
    await expect.poll(() => composer.inputValue()).toBe('');
    // The customer's chat shows it, and it opens with their conversation's token.
    const link = chat.getByRole('link', { name: /reset-steps\.pdf/ });
    await link.waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([chat.page().waitForEvent('download'), link.click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(PDF);

    // What the server would refuse is not uploaded: the agent is told why.
    const [again] = await Promise.all([
      agent.waitForEvent('filechooser'),
      session.getByRole('button', { name: 'Send a file' }).click(),
    ]);
    await again.setFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg/>') });
    await session.getByRole('alert').filter({ hasText: 'drawing.svg cannot be sent' }).waitFor();

    // A screenshot pasted and a file dropped wait above the message box; Send sends them together.
    const staged = session.getByRole('toolbar', { name: 'Files to send the customer' });
    // Text copied from Word or Excel comes with a picture of itself: that paste is the text.
    expect(
      await pasteFile(composer, { name: 'image.png', mimeType: 'image/png', buffer: png(4) }, 'Q3'),
    ).toBe(false);
    expect(await staged.count()).toBe(0);
    expect(await pasteFile(composer, { name: 'image.png', mimeType: 'image/png', buffer: png(16) })).toBe(
      true,
    );
    await staged.getByText('image.png').waitFor();
    await dropFile(composer, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Line 1') });
    await staged.getByText('notes.txt').waitFor();
    expect(await seriousViolations(agent)).toEqual([]);
    await screenshot(agent, 'staged-files');
    await staged.getByRole('button', { name: 'Remove notes.txt' }).click();
    await staged.getByText('notes.txt').waitFor({ state: 'detached' });
    // One upload carries them all: beyond 4 MB together, the agent is told to send these first.
    const big = (name: string, mb: number) => ({
      name,
      mimeType: 'image/png',
      buffer: Buffer.alloc(mb * 1024 * 1024),
    });
    await dropFile(composer, big('whole-screen.png', 2.5));
    await staged.getByText('whole-screen.png').waitFor();
    await dropFile(composer, big('second-screen.png', 2));
    await session.getByRole('alert').filter({ hasText: '4 MB in all, go at once' }).waitFor();
    expect(await staged.getByText('second-screen.png').count()).toBe(0);
    await staged.getByRole('button', { name: 'Remove whole-screen.png' }).click();
    await staged.getByText('whole-screen.png').waitFor({ state: 'detached' });
    await composer.fill('Your screen');
    await composer.press('Enter');
    await chat.getByRole('img', { name: 'image.png' }).waitFor({ timeout: 20_000 });
    await staged.waitFor({ state: 'detached' });
    expect(await composer.inputValue()).toBe('');
    const sent = session
      .getByRole('log', { name: 'Transcript' })
      .locator('li')
      .filter({ hasText: 'Your screen' });
    // The agent's copy shows the picture once it has fetched it with the agent's token.
    await sent.getByRole('img', { name: 'image.png' }).waitFor();
    expect(await sent.getByRole('img', { name: 'image.png' }).count()).toBe(1);
    expect(await sent.getByText('notes.txt').count()).toBe(0);
  }, 120_000);

  it('moves between the two sessions and the dashboard from the keyboard', async () => {
    const session = agent.getByRole('region', { name: 'Session with Grace Hopper' });
    // Alt+Shift+1 to the first session, its message box ready; 0 to the dashboard.
    const focused = () => agent.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await agent.keyboard.press('Alt+Shift+Digit1');
    await agent.getByRole('region', { name: 'Session with Ada Lovelace' }).waitFor();
    await expect.poll(focused).toBe('Message to the customer');
    expect(await session.isVisible()).toBe(false);
    await agent.keyboard.press('Alt+Shift+ArrowDown');
    await session.waitFor();
    await agent.keyboard.press('Alt+Shift+Digit0');
    await agent.getByRole('region', { name: 'Dashboard' }).waitFor();
    expect(await session.isVisible()).toBe(false);
  }, 120_000);
});
