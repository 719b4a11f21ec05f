/**
 * Working chats from the keyboard alone, in headless Chromium against the real server: keys typed
 * straight after a switch land in the message box; a step ticked, a macro run or a link sent keeps
 * the keyboard on its control; each macro button names its macro; a macro's disposition is what the
 * wrap-up form offers and stores; a reload leaves the keyboard in the session it reopens; and the
 * agent who asked a colleague in ends the consult from the session, which the colleague is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { signIn as apiSignIn, type Json } from '../api/support/clients.js';
import type { TestServer } from '../support/server.js';
import {
  acceptOffer,
  customerAsksForAPerson,
  newPage,
  serverWithAlex,
  signIn,
} from './support/tab-browser.js';

let server: TestServer;
let browser: Browser;
let agent: Page;

const session = (name: string) => agent.getByRole('region', { name: `Session with ${name}` });
const messageBox = (s: Locator) => s.getByRole('combobox', { name: 'Message to the customer' });
const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/** Sam signed in on a page of their own, and asked by Alex to consult on Ben's chat. */
async function samConsultedOnBen(pageName: string) {
  const colleague = (await newPage(browser, pageName)).page;
  await signIn(colleague, server.url, 'Sam Morgan');
  await agent.getByRole('tab', { name: /^Ben Okafor/ }).click();
  const ben = session('Ben Okafor');
  await messageBox(ben).fill('/c Sam');
  await ben.getByRole('option', { name: /Sam Morgan/ }).waitFor();
  await messageBox(ben).press('Enter');
  const ask = colleague.getByTestId('consult-toast');
  await ask.waitFor({ timeout: 30_000 });
  return { colleague, ben, ask };
}

describe('Teams tab: the keyboard goes to the next step', () => {
  beforeAll(async () => {
    ({ server, browser, agent } = await serverWithAlex());
    for (const name of ['Jordan Lee', 'Ben Okafor']) {
      await customerAsksForAPerson(browser, server.url, name);
      await acceptOffer(agent, name);
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('puts the keys typed straight after Alt+Shift+digit in the message box of the session shown', async () => {
    await messageBox(session('Ben Okafor')).focus();
    await agent.keyboard.press('Alt+Shift+1');
    await agent.keyboard.type('I am sorry about the drops; let me look.');
    await expect
      .poll(() => messageBox(session('Jordan Lee')).inputValue())
      .toBe('I am sorry about the drops; let me look.');
    await agent.keyboard.press('Alt+Shift+2');
    await agent.keyboard.type('One moment please.');
    await expect.poll(() => messageBox(session('Ben Okafor')).inputValue()).toBe('One moment please.');
  }, 60_000);

  it('leaves the keyboard in the session a reload reopens', async () => {
    await agent.keyboard.press('Alt+Shift+1');
    await agent.reload();
    await agent.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => focused(messageBox(session('Jordan Lee'))), { timeout: 20_000 }).toBe(true);
  }, 60_000);

  it('keeps the keyboard on a ticked step, a macro run and a link sent; names each macro', async () => {
    const jordan = session('Jordan Lee');
    const pane = jordan.getByRole('complementary', { name: 'Productivity pane' });
    const step = pane.getByRole('checkbox').first();
    await step.focus();
    await agent.keyboard.press('Space');
    await expect.poll(() => step.isChecked()).toBe(true);
    expect(await focused(step)).toBe(true);
    // A tick by mistake is taken back the same way, and the server's script says so too.
    const alex = await apiSignIn(server.url, 'agent_alex');
    const stepsDone = async () => {
      const items = (await alex.call('GET', '/me/sessions')).body.items as Json[];
      const id = String(items.find((x) => x.customerName === 'Jordan Lee')?.id);
      const view = (await alex.call('GET', `/conversations/${id}/script`)).body as {
        script: { steps: Json[] };
      };
      return view.script.steps.filter((x) => x.done).length;
    };
    expect(await stepsDone()).toBe(1);
    await agent.keyboard.press('Space');
    await expect.poll(() => step.isChecked()).toBe(false);
    await expect.poll(stepsDone).toBe(0);
    await agent.keyboard.press('Space');
    await expect.poll(stepsDone).toBe(1);
    expect(await focused(step)).toBe(true);

    // The nested billing script brings a second macro: the two buttons read apart.
    await pane.getByRole('button', { name: 'Open nested script' }).click();
    const billing = pane.getByRole('button', {
      name: 'Run macro: Open the billing dispute case',
      exact: true,
    });
    await billing.waitFor();
    await pane
      .getByRole('button', { name: 'Run macro: Known outage: log it and notify the customer', exact: true })
      .waitFor();

    await billing.focus();
    await agent.keyboard.press('Enter');
    const ran = pane.getByRole('button', { name: 'Macro ran: Open the billing dispute case', exact: true });
    await ran.waitFor({ timeout: 20_000 });
    await pane.getByRole('list', { name: 'What the macro did' }).waitFor();
    expect(await focused(ran)).toBe(true);

    // An article its search found: Send link stays under the keyboard once sent.
    const article = pane
      .getByRole('list', { name: /^Articles for/ })
      .getByRole('button')
      .first();
    const title = (await article.textContent())!;
    await article.click();
    const send = jordan.getByRole('tabpanel', { name: title }).getByRole('button', { name: 'Send link' });
    await send.focus();
    await agent.keyboard.press('Enter');
    const sent = jordan.getByRole('tabpanel', { name: title }).getByRole('button', { name: 'Link sent' });
    await sent.waitFor();
    expect(await focused(sent)).toBe(true);
  }, 90_000);

  it("offers and stores the macro's disposition at wrap-up", async () => {
    const jordan = session('Jordan Lee');
    await jordan.getByRole('button', { name: 'End conversation' }).click();
    const disposition = jordan.getByRole('combobox', { name: 'Disposition' });
    await expect.poll(() => disposition.inputValue()).toBe('billing-dispute');
    await jordan.getByRole('button', { name: 'Close with wrap-up' }).click();
    await jordan.getByRole('button', { name: 'Close session' }).waitFor();
    const alex = await apiSignIn(server.url, 'agent_alex');
    const closed = (await alex.call('GET', '/work-items?view=closed')).body.items as Json[];
    expect(closed.find((i) => i.customerName === 'Jordan Lee')?.disposition).toBe('billing-dispute');
  }, 60_000);

  it('lets the agent end a consult from the session; the colleague is told when they open it', async () => {
    const { colleague, ben, ask } = await samConsultedOnBen('colleague');

    const end = ben.getByRole('button', { name: 'End consult: Sam Morgan', exact: true });
    await end.focus();
    await agent.keyboard.press('Enter');
    await expect.poll(() => end.count()).toBe(0);
    await expect.poll(() => focused(messageBox(ben))).toBe(true);
    await ben
      .locator('li[data-visibility="internal"]', { hasText: "Alex Rivera ended Sam Morgan's consult." })
      .waitFor({ timeout: 20_000 });

    await ask.getByRole('button', { name: 'Open' }).click();
    const theirs = colleague.getByRole('region', { name: 'Session with Ben Okafor' });
    await theirs.getByText('Your consult was ended. You are no longer on this conversation.').waitFor();
    expect(await theirs.getByTestId('session-status').textContent()).toBe('Consult ended');
    expect(await theirs.getByRole('combobox', { name: 'Internal note' }).count()).toBe(0);
  }, 90_000);

  it('keeps the words a colleague had not sent when their consult is ended, for them to copy', async () => {
    const { colleague, ben, ask } = await samConsultedOnBen('colleague-typing');
    await ask.getByRole('button', { name: 'Open' }).click();
    const theirs = colleague.getByRole('region', { name: 'Session with Ben Okafor' });
    const note = theirs.getByRole('combobox', { name: 'Internal note' });
    await note.fill('The modem serial ends in 4411; check it against the outage list');

    await ben.getByRole('button', { name: 'End consult: Sam Morgan', exact: true }).click();
    await theirs.getByText('Your consult was ended. You are no longer on this conversation.').waitFor({
      timeout: 20_000,
    });
    expect(await theirs.getByTestId('unsent-draft').inputValue()).toBe(
      'The modem serial ends in 4411; check it against the outage list',
    );
  }, 90_000);
});
