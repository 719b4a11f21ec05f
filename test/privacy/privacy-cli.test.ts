import { rm } from 'node:fs/promises';
import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SESSIONS_COLLECTION } from '../../bot/customer-bot/session-store.js';
import { RELAY_MARKS_COLLECTION } from '../../bot/customer-bot/relay-marks.js';
import { CONSULTS_COLLECTION } from '../../bot/teams/consult-relay.js';
import { OFFER_CARDS_COLLECTION } from '../../bot/teams/offer-cards.js';
import { BOT_COLLECTIONS } from '../../services/privacy/index.js';
import { signIn, until, type Json } from '../api/support/clients.js';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { allDatafiles, privacy } from './run-privacy.js';

// The data-protection officer's tool, run as an administrator runs it, against what a real server
// wrote: a customer who browsed, answered the pre-chat form, sent a file and messages, was given an
// internal note, a quick note and a case, and whose chat was closed.

/** Words only this customer's chat holds: none may be left on disk after the erase. */
const SECRETS = {
  name: 'Dana Privacytest',
  visitorId: 'dl_privacy_dana',
  browser: 'PrivacyBrowser/9',
  search: 'privacysearch wifi',
  message: 'my PIN is MSG-SECRET-5512',
  internal: 'INTERNAL-SECRET-0042',
  note: 'NOTE-SECRET-3310',
  caseTitle: 'CASE-SECRET-title',
  caseDescription: 'CASE-SECRET-description',
  file: 'FILE-SECRET-contents-7731',
};

/** A customer's chat with everything a chat can leave behind, up to the agent's wrap-up unless told. */
async function chatWithEverything(server: TestServer, close = true): Promise<LiveConversation> {
  const live = await liveConversation(server.url, 'agent_alex', {
    userId: SECRETS.visitorId,
    name: SECRETS.name,
    visitor: { browser: SECRETS.browser, os: 'Linux', language: 'en-GB', authenticated: false },
  });
  const id = live.conversationId;
  await live.customer.post({
    type: 'event',
    name: 'portalNavigation',
    value: { entries: [{ kind: 'search', title: SECRETS.search, at: new Date().toISOString() }] },
  } as Partial<Activity>);
  // A text file, uploaded as Direct Line clients upload one.
  const { conversationId, token, userId } = live.customer.session();
  const form = new FormData();
  form.append(
    'activity',
    new Blob([JSON.stringify({ type: 'message', from: { id: userId }, text: 'the bill' })], {
      type: 'application/vnd.microsoft.activity',
    }),
  );
  form.append('file', new Blob([SECRETS.file], { type: 'text/plain' }), 'bill.txt');
  const uploaded = await fetch(
    `${server.url}/v3/directline/conversations/${conversationId}/upload?userId=${encodeURIComponent(userId)}`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form },
  );
  expect(uploaded.status).toBe(200);
  await live.customer.post({ type: 'message', text: SECRETS.message });
  const agent = live.agent;
  await until('the message reaching the agent', async () =>
    ((await agent.call('GET', `/conversations/${id}/messages`)).body.items as Json[]).find(
      (m) => m.text === SECRETS.message,
    ),
  );
  expect(
    (
      await agent.call('POST', `/conversations/${id}/messages`, {
        text: SECRETS.internal,
        visibility: 'internal',
      })
    ).status,
  ).toBe(201);
  expect((await agent.call('POST', `/conversations/${id}/notes`, { text: SECRETS.note })).status).toBe(201);
  const opened = await agent.call('POST', `/conversations/${id}/case`, {
    title: SECRETS.caseTitle,
    description: SECRETS.caseDescription,
  });
  expect(opened.status).toBeLessThan(300);
  if (close) await closeChat(live);
  return live;
}

async function closeChat(live: LiveConversation): Promise<void> {
  const id = live.conversationId;
  expect((await live.agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
  expect(
    (await live.agent.call('POST', `/conversations/${id}/wrap-up`, { disposition: 'Resolved' })).status,
  ).toBe(200);
  live.customer.end();
}

it('names the collections the bot keeps as the bot does', () => {
  expect(BOT_COLLECTIONS).toMatchObject({
    botSessions: BOT_SESSIONS_COLLECTION,
    relayMarks: RELAY_MARKS_COLLECTION,
    teamsConsults: CONSULTS_COLLECTION,
    teamsOfferCards: OFFER_CARDS_COLLECTION,
  });
});

// Each command starts tsx (npm too, once): seconds each, and more on a loaded machine.
const CLI_RUNS = { timeout: 240_000 };

describe('npm run privacy on the embedded store', CLI_RUNS, () => {
  let server: TestServer;
  let dataDir: string;
  let conversationId: string;
  let customerId: string;
  const env = () => ({ DATA_DIR: dataDir, MONGODB_URI: '' });

  beforeAll(async () => {
    server = await startTestServer({ keepData: true });
    dataDir = server.dataDir;
    ({ conversationId } = await chatWithEverything(server));
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses while the server holds the data folder, and reads nothing', async () => {
    const run = await privacy(['find', '--email', 'customer@example.com'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/in use by process \d+/);
    await server.close();
  });

  it('finds the customer by e-mail, by part of the name and by id, with their conversations', async () => {
    const byEmail = await privacy(['find', '--email', 'CUSTOMER@example.com'], env(), true);
    expect(byEmail.code).toBe(0);
    const found = (byEmail.json.customers as Json[]).find((c) => c.name === SECRETS.name);
    expect(found).toMatchObject({
      email: 'customer@example.com',
      identities: [expect.objectContaining({ userId: SECRETS.visitorId })],
      conversations: [
        {
          id: conversationId,
          channel: expect.any(String),
          status: 'closed',
          createdAt: expect.any(String),
          endedAt: expect.any(String),
        },
      ],
    });
    customerId = found.id as string;
    const byName = await privacy(['find', '--name', 'dana PRIVACY'], env());
    expect((byName.json.customers as Json[]).map((c) => c.id)).toEqual([customerId]);
    const byId = await privacy(['find', '--customer', customerId], env());
    expect((byId.json.customers as Json[]).map((c) => c.id)).toEqual([customerId]);
    const usage = await privacy(['find'], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/one of --email, --name, --customer/);
  });

  it('exports everything kept about them, internal messages marked, file contents only when asked', async () => {
    const run = await privacy(['export', '--customer', customerId], env());
    expect(run.code).toBe(0);
    const out = run.json;
    expect(out.customer).toMatchObject({ id: customerId, name: SECRETS.name });
    const [conv] = out.conversations as Json[];
    expect(conv.conversation.context).toMatchObject({
      preChat: { name: SECRETS.name, email: 'customer@example.com' },
      visitor: { browser: SECRETS.browser, os: 'Linux', language: 'en-GB' },
      portalNavigation: [expect.objectContaining({ title: SECRETS.search })],
    });
    const byText = new Map((conv.messages as Json[]).map((m) => [m.text, m]));
    expect(byText.get(SECRETS.message)).toMatchObject({ author: 'customer', internal: false });
    expect(byText.get(SECRETS.internal)).toMatchObject({ author: 'agent', internal: true });
    expect(conv.sentimentReadings.length).toBeGreaterThan(0);
    expect(conv.sentimentReadings[0]).toEqual({
      score: expect.any(Number),
      level: expect.any(String),
      at: expect.any(String),
    });
    expect(conv.files).toEqual([expect.objectContaining({ name: 'bill.txt', contentType: 'text/plain' })]);
    expect(conv.files[0].data).toBeUndefined();
    expect((out.notes as Json[]).map((n) => n.text)).toContain(SECRETS.note);
    expect(out.cases).toEqual([
      expect.objectContaining({ title: SECRETS.caseTitle, description: SECRETS.caseDescription }),
    ]);
    expect(conv.botSessions).toHaveLength(1);
    expect(out.directLine.conversations).toEqual([expect.objectContaining({ userId: SECRETS.visitorId })]);
    expect((out.directLine.activities as Json[]).map((a) => a.activity.text)).toContain(SECRETS.message);

    const withContents = await privacy(['export', '--customer', customerId, '--with-file-contents'], env());
    expect(Buffer.from(withContents.json.files[0].data as string, 'base64').toString()).toBe(SECRETS.file);
  });

  it('erases only with --yes, and then nothing of theirs is left in the datafiles', async () => {
    const asked = await privacy(['erase', '--customer', customerId], env());
    expect(asked.code).toBe(1);
    expect(asked.stderr).toMatch(/nothing was erased: run again with --yes/);
    expect(asked.json).toMatchObject({ erased: false, removed: { files: 1, notes: 1, botSessions: 1 } });
    expect(await allDatafiles(dataDir)).toContain(SECRETS.message);

    const run = await privacy(['erase', '--customer', customerId, '--yes'], env());
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      erased: true,
      removed: { files: 1, notes: 1, botSessions: 1, directLineConversations: 1 },
      anonymised: { customer: 1, conversations: 1, cases: 1 },
    });
    expect(run.json.removed.directLineActivities).toBeGreaterThan(0);
    const disk = await allDatafiles(dataDir);
    for (const [what, secret] of Object.entries(SECRETS)) expect(disk, what).not.toContain(secret);
    expect(disk).not.toContain(Buffer.from(SECRETS.file).toString('base64'));
  });

  it('leaves the conversation to the figures: its queue, agent, status and times, on a server started again', async () => {
    server = await startTestServer({ dataDir });
    const sam = await signIn(server.url, 'supervisor_sam');
    const details = await sam.call('GET', `/conversations/${conversationId}`);
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({
      status: 'closed',
      queueId: expect.any(String),
      agentId: 'agent_alex',
      startedAt: expect.any(String),
      acceptedAt: expect.any(String),
      context: { preChat: {}, portalNavigation: [], custom: {} },
    });
    const messages = (await sam.call('GET', `/conversations/${conversationId}/messages`)).body
      .items as Json[];
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.text === '' && (m.attachments ?? []).length === 0)).toBe(true);
    const found = await privacy(['find', '--name', 'Dana'], env());
    expect(found.code).toBe(1); // the server holds the folder again
    await server.close();
    const again = await privacy(['find', '--customer', customerId], env());
    expect(again.json.customers).toEqual([
      expect.objectContaining({ name: 'Erased customer', identities: [], erasedAt: expect.any(String) }),
    ]);
    expect(again.json.customers[0].email).toBeUndefined();
  });
});

describe(
  'npm run privacy on MongoDB (the Mongo adapter on CongoDB), beside a running server',
  CLI_RUNS,
  () => {
    let congo: RunningCongo;
    let server: TestServer;
    let live: LiveConversation;
    let customerId: string;
    const env = () => ({ MONGODB_URI: congo.uri('privacy_test'), DATA_DIR: '' });

    beforeAll(async () => {
      congo = await startCongo();
      server = await startTestServer({ env: { MONGODB_URI: congo.uri('privacy_test') } });
      live = await chatWithEverything(server, false);
    }, 180_000);
    afterAll(async () => {
      live?.customer.end();
      await server?.close();
      await congo?.stop();
    });

    it('refuses to erase while a conversation of theirs goes on, and erases once it ended', async () => {
      const found = await privacy(['find', '--name', SECRETS.name], env());
      expect(found.code).toBe(0);
      customerId = found.json.customers[0].id as string;

      const early = await privacy(['erase', '--customer', customerId, '--yes'], env());
      expect(early.code).toBe(1);
      expect(early.stderr).toContain(`${live.conversationId} (active)`);
      expect(early.stderr).toMatch(/Nothing was erased/);
      const unchanged = await privacy(['export', '--customer', customerId], env());
      expect(unchanged.json.customer.name).toBe(SECRETS.name);

      await closeChat(live);
      const run = await privacy(['erase', '--customer', customerId, '--yes'], env());
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ erased: true, restartServers: true, removed: { files: 1, notes: 1 } });
      expect(run.stderr).toMatch(/restart the servers/);

      const after = (await privacy(['export', '--customer', customerId], env())).json;
      expect(after.customer).toMatchObject({ name: 'Erased customer', identities: [] });
      expect(JSON.stringify(after)).not.toMatch(
        /SECRET|privacysearch|PrivacyBrowser|dl_privacy_dana|Privacytest/,
      );
      // The running server still serves the conversation for the figures.
      const details = await live.agent.call('GET', `/conversations/${live.conversationId}`);
      expect(details.body).toMatchObject({ status: 'closed', agentId: 'agent_alex' });
    });
  },
);
