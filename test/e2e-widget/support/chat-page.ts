/** The customer's steps in the demo page's chat widget, as the widget tests take them. */
import type { Locator, Page } from 'playwright-core';

/** Opens the demo page at `baseUrl` and its chat window. */
export async function openChatAt(page: Page, baseUrl: string): Promise<Locator> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: /Open chat/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Northwind Fiber Support' });
  await dialog.waitFor();
  return dialog;
}

export async function answerPreChat(dialog: Locator): Promise<void> {
  const survey = dialog.locator('form.sb-form').filter({ hasText: 'Your details' });
  await survey.getByLabel('Your name').fill('Jordan Lee');
  await survey.getByLabel('Email').fill('jordan@example.com');
  await survey.getByLabel('What can we help with?').selectOption('Internet');
  await survey.getByRole('button', { name: 'Start chat' }).click();
  await dialog.getByText('Thanks, Jordan Lee!').waitFor();
}

export async function say(dialog: Locator, text: string): Promise<void> {
  const input = dialog.getByRole('textbox', { name: 'Type your message' });
  await input.fill(text);
  await input.press('Enter');
}

/** The Direct Line conversation the page's chat is in, as the widget keeps it. */
export async function conversationOf(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('switchboard:session'));
  return (JSON.parse(stored ?? '{}') as { conversationId: string }).conversationId;
}
