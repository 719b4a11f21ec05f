import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpConnector } from '../../bot/teams/connector.js';
import { ProactiveSender } from '../../bot/teams/proactive-sender.js';
import { asTeamsRef, messageTo, targetOf } from '../../bot/teams/teams-refs.js';
import { silentLogger } from '../../services/log.js';
import { signIn } from '../api/support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startPlayground, type Playground, type PlaygroundUser } from './support/playground.js';

// The same Teams side as teams-app.test.ts, in Microsoft 365 Agents Playground: it posts msteams
// activities to the real app and plays the Bot Connector the bot sends to. Everything the Teams user
// does goes through the Playground's own HTTP API, and what they see is read from its conversation
// stream (the frames its UI renders). The customer side and the agent workspace are driven as in the
// other suites (the conversation service, the agent API).
//
// The Playground is signed in as Sam Morgan, an agent and the supervisor of the demo queues, set in
// its config file; Alex and Chen are other users of its tenant. One Playground and one app serve the
// whole file (starting the Playground is the slow part); each test has its own customer and looks
// only at the chat from where it started.
//
// Not here, and why: a 429 from the connector (the Playground's connector never throttles, so the
// retry after Retry-After is covered by teams-app.test.ts against the local connector); another Teams
// user pressing Accept on the card (a personal chat's only member is its owner, and the Playground
// refuses anyone else, as shown below).

const alex: PlaygroundUser = { id: 'user-alex', name: 'Alex Rivera', aadObjectId: 'aad-pg-alex' };
const chen: PlaygroundUser = { id: 'user-chen', name: 'Chen Wei', aadObjectId: 'aad-pg-chen' };
const sam: PlaygroundUser = { id: 'user-sam', name: 'Sam Morgan', aadObjectId: 'aad-pg-sam' };

/** Generous: the machine running this is shared and loaded. */
const WAIT = { timeout: 15_000, interval: 50 };

let server: TestServer;
let pg: Playground;
let chat: string;
/** Where the current test's part of the conversation stream starts. */
let mark = 0;
let visitors = 0;

beforeAll(async () => {
  server = await startTestServer();
  const { repos } = server.services;
  await repos.agents.update('agent_alex', { aadObjectId: alex.aadObjectId });
  await repos.agents.update('agent_chen', { aadObjectId: chen.aadObjectId });
  await repos.agents.update('supervisor_sam', { aadObjectId: sam.aadObjectId });
  pg = await startPlayground(`${server.url}/api/messages`, { currentUser: sam, users: [alex, chen] });
  expect(pg.config.currentUser).toMatchObject(sam);
  chat = pg.config.personalChat.id;

  // Sam installs the app in the Playground: the bot keeps that chat for proactive cards and says hello.
  await pg.install(chat);
  const ref = await until(
    'the bot keeps the chat',
    async () => (await repos.agents.get('supervisor_sam'))?.teamsConversationRef,
    (r) => r !== undefined,
  );
  expect(ref).toMatchObject({ conversation: { id: chat }, serviceUrl: `${pg.url}/_connector` });
  expect(await until('the greeting', () => pg.botTexts(chat)[0], Boolean)).toMatch(/^Hi Sam Morgan!/);
}, 90_000);

afterAll(async () => {
  await pg?.close();
  await server?.close();
});

beforeEach(async () => {
  const { repos, router } = server.services;
  for (const agent of await repos.agents.list({ limit: 100 })) await router.presence.set(agent.id, 'away');
  mark = pg.messages.length;
});

/** `expect.poll` for hooks, where vitest has no poll: the first value `ok` accepts, or a timeout. */
async function until<T>(what: string, probe: () => T | Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, WAIT.interval));
  }
}

/** The cards in Sam's chat since this test started, newest version of each. */
const cards = () => pg.cards(chat, mark);
/**
 * The cards that say `text`. A customer already past Sam's alert threshold (slightly negative) when
 * queued or offered to him also brings him an alert card, beside the one a test is after.
 */
const cardsSaying = (text: string) =>
  [...cards().values()].filter((c) => JSON.stringify(c.attachments).includes(text));
const texts = () => pg.botTexts(chat, mark);

/** A web chat customer asks for a person (the customer side as the widget would drive it). */
async function customerWaiting(firstMessage = 'My fiber box shows a red light'): Promise<string> {
  const { conversations } = server.services;
  const { conversation } = await conversations.start({
    channel: 'webchat',
    channelUserId: `web-visitor-${++visitors}`,
    userName: 'Dana Whitfield',
    channelRef: {},
  });
  await conversations.addCustomerMessage(conversation.id, { text: firstMessage });
  await conversations.escalate(conversation.id, 'asked for a person');
  return conversation.id;
}

/** Chen has the customer: offered by routing, accepted as the workspace would. */
async function chenHasACustomer(firstMessage?: string): Promise<string> {
  const { repos, router } = server.services;
  await router.presence.set('agent_chen', 'available');
  const id = await customerWaiting(firstMessage);
  await expect.poll(async () => (await repos.conversations.get(id))?.agentId, WAIT).toBe('agent_chen');
  await router.accept(id, 'agent_chen');
  return id;
}

/** Every Action.Execute of a card, as `{ verb, data }`. */
function executes(content: unknown): Array<{ verb: string; data: Record<string, unknown> }> {
  const found: Array<{ verb: string; data: Record<string, unknown> }> = [];
  JSON.stringify(content, (_key, value: unknown) => {
    const v = value as { type?: string; verb?: string; data?: Record<string, unknown> };
    if (v && v.type === 'Action.Execute' && v.verb) found.push({ verb: v.verb, data: v.data ?? {} });
    return value;
  });
  return found;
}

/** The card an invoke was answered with, through the Playground. */
function answeredCard(res: { status: number; body: unknown }): string {
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
  return JSON.stringify((res.body as { value: unknown }).value);
}

/** Nothing the bot did made the Playground warn (an unsupported card feature, a failed call). */
function expectNoWarnings(): void {
  expect(pg.logs.filter((l) => /warn|error/i.test(String(l.level ?? '')))).toEqual([]);
}

describe('offers in Microsoft 365 Agents Playground', () => {
  it('an accepted offer assigns the conversation and refreshes the card; a second Accept shows it taken', async () => {
    const { repos, router } = server.services;
    await router.presence.set('supervisor_sam', 'available');
    const conversationId = await customerWaiting();
    await expect.poll(() => cardsSaying('New conversation').length, WAIT).toBe(1);
    const [offer] = cardsSaying('New conversation');
    const card = JSON.stringify(offer!.attachments[0]?.content);
    expect(card).toContain('New conversation');
    expect(card).toContain('Dana Whitfield');
    expect(card).toContain('My fiber box shows a red light');
    const accept = executes(offer!.attachments[0]?.content).find((a) => a.verb === 'offer.accept')!;
    expect(accept.data).toMatchObject({ conversationId });

    const answer = await pg.execute(chat, offer!.messageId, accept.verb, accept.data);
    expect(answeredCard(answer)).toContain('Taken by you (Sam Morgan)');
    expect(await repos.conversations.get(conversationId)).toMatchObject({
      status: 'active',
      agentId: 'supervisor_sam',
    });
    // The bot replaces the message through the Playground's connector, which re-renders it for all.
    await expect
      .poll(() => {
        const shown = cards().get(offer!.messageId);
        return (
          shown?.action === 'updateMessage' && JSON.stringify(shown.attachments).includes('Taken by you')
        );
      }, WAIT)
      .toBe(true);
    expect(executes(cards().get(offer!.messageId)?.attachments).map((a) => a.verb)).not.toContain(
      'offer.accept',
    );

    // A second Accept on the same card: the offer is taken, the answer says so, nothing changes.
    const again = answeredCard(await pg.execute(chat, offer!.messageId, accept.verb, accept.data));
    expect(again).toContain('Taken by you (Sam Morgan)');
    expect(executes(JSON.parse(again)).map((a) => a.verb)).not.toContain('offer.accept');
    await server.app.services.bot.idle();
    const accepted = (await repos.events.byConversation(conversationId)).filter(
      (e) => e.type === 'conversation.accepted',
    );
    expect(accepted).toHaveLength(1);

    // Another user of the tenant cannot press it: the Playground, like Teams, lets only a chat's
    // members act in it, and a personal chat's only member is its owner.
    const stranger = await pg.execute(chat, offer!.messageId, accept.verb, accept.data, alex.id);
    expect(stranger).toMatchObject({ status: 400, body: { code: 'UserNotFound' } });
    expect(await repos.conversations.get(conversationId)).toMatchObject({ agentId: 'supervisor_sam' });
    // The customer came already past Sam's threshold: one alert, though he is both the queue's
    // supervisor and now its agent.
    await expect.poll(() => cardsSaying('Sentiment is slightly negative').length, WAIT).toBe(1);
    // Nothing new in the chat but that alert: the offer's card is the one the bot refreshed.
    expect(
      [...cards().values()].filter((c) => !JSON.stringify(c.attachments).includes('Sentiment is')),
    ).toEqual([cards().get(offer!.messageId)]);
    expectNoWarnings();
  });
});

describe('a consult in Microsoft 365 Agents Playground', () => {
  it('relays the supervisor’s Teams chat and the internal thread both ways until the consult ends', async () => {
    const conversationId = await chenHasACustomer();
    const chen = await signIn(server.url, 'agent_chen');

    // Chen, in the workspace, consults Sam: the card reaches Sam's chat in the Playground.
    const consulted = await chen.call('POST', `/conversations/${conversationId}/consult`, {
      agentId: 'supervisor_sam',
    });
    expect(consulted.status).toBe(200);
    await expect.poll(() => cardsSaying('asks for your help').length, WAIT).toBe(1);
    const [consult] = cardsSaying('asks for your help');
    const card = JSON.stringify(consult!.attachments[0]?.content);
    expect(card).toContain('Chen Wei asks for your help');
    expect(card).toContain('Dana Whitfield');
    expect(card).toContain('My fiber box shows a red light');

    // Sam answers in the Playground: it lands in the conversation's internal thread, as Sam.
    await pg.say(chat, 'Offer a loaner router');
    const thread = async () =>
      (
        (await chen.call('GET', `/conversations/${conversationId}/messages`)).body as {
          items: Array<{ text: string; visibility: string; authorName?: string }>;
        }
      ).items;
    await expect
      .poll(async () => (await thread()).filter((m) => m.text === 'Offer a loaner router'), WAIT)
      .toEqual([expect.objectContaining({ visibility: 'internal', authorName: 'Sam Morgan' })]);

    // Chen's internal note reaches Sam's chat in the Playground; Chen's public reply does not.
    await chen.call('POST', `/conversations/${conversationId}/messages`, {
      text: 'Let me check for you',
      visibility: 'public',
    });
    await chen.call('POST', `/conversations/${conversationId}/messages`, {
      text: 'Is a loaner OK while we wait for the technician?',
      visibility: 'internal',
    });
    await expect
      .poll(texts, WAIT)
      .toContain(
        'Chen Wei (internal) about Dana Whitfield: Is a loaner OK while we wait for the technician?',
      );
    expect(texts().join('\n')).not.toContain('Let me check for you');

    // Sam ends it from the card: the answer and the re-rendered card say so, and one notice follows.
    const end = executes(consult!.attachments[0]?.content).find((a) => a.verb === 'consult.end')!;
    expect(answeredCard(await pg.execute(chat, consult!.messageId, end.verb, end.data))).toContain(
      'Consult ended',
    );
    await expect
      .poll(() => JSON.stringify(cards().get(consult!.messageId)?.attachments), WAIT)
      .toContain('Consult ended');
    await expect.poll(texts, WAIT).toContain('Consult about Dana Whitfield ended: you ended it.');

    // What Sam writes now stays in Teams, and the bot says so rather than answering with its help.
    await pg.say(chat, 'one more thing');
    await expect
      .poll(texts, WAIT)
      .toContain('The consult about Dana Whitfield has ended; your message was not passed on.');
    expect((await thread()).some((m) => m.text === 'one more thing')).toBe(false);
    expect(texts().filter((t) => t.startsWith('Consult about'))).toEqual([
      'Consult about Dana Whitfield ended: you ended it.',
    ]);
    expectNoWarnings();
  });
});

describe('sentiment alerts in Microsoft 365 Agents Playground', () => {
  it("one alert card when the customer's sentiment crosses the supervisor's threshold, not one per message", async () => {
    // A neutral start: the crossing comes with the angry message, once the conversation is queued.
    const conversationId = await chenHasACustomer('Hello, I would like to ask about my internet plan');
    const { conversations, repos } = server.services;

    await conversations.addCustomerMessage(conversationId, {
      text: 'This is terrible, I am furious, the worst service I have ever had',
    });
    await expect.poll(() => cards().size, WAIT).toBe(1);
    const [alert] = [...cards().values()];
    const card = JSON.stringify(alert!.attachments[0]?.content);
    expect(card).toMatch(/Sentiment is (very negative|negative|slightly negative)/);
    expect(card).toContain('the worst service I have ever had');
    expect(card).toContain('Dana Whitfield');
    expect(card).toContain('Chen Wei');

    // Still angry, and angrier: no new crossing, so no second card.
    for (const text of [
      'Absolutely awful, I am so angry and disappointed',
      'This is a disgrace, useless, I hate this company',
    ]) {
      await conversations.addCustomerMessage(conversationId, { text });
    }
    // Wait until every reading so far was judged and whatever it caused was delivered.
    const lastSeq = Math.max(...(await repos.events.byConversation(conversationId)).map((e) => e.seq));
    await server.services.tail.reached(lastSeq);
    await server.app.services.bot.idle();
    const alerts = (await repos.events.byConversation(conversationId)).filter(
      (e) => e.type === 'sentiment.alert' && e.recipientId === 'supervisor_sam',
    );
    expect(alerts).toHaveLength(1);
    expect(cards().size).toBe(1);
    expectNoWarnings();
  });
});

describe("the Playground's connector, to the bot's sender", () => {
  it('a message it splits in two is posted once, though the answer names no id', async () => {
    const ref = asTeamsRef((await server.services.repos.agents.get('supervisor_sam'))?.teamsConversationRef);
    expect(ref).not.toBeNull();
    // The bot's own sender and connector client, as the Teams bot builds them.
    const sender = new ProactiveSender({
      connector: httpConnector({ token: async () => undefined }),
      now: () => new Date(),
      random: () => 0,
      log: silentLogger,
    });
    const card = {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard', version: '1.5', body: [] },
    };
    const sent = sender.send(targetOf(ref!), messageTo(ref!, { text: 'Heads-up', attachments: [card] }));
    await expect(sent).rejects.toMatchObject({ status: 202 });
    await expect.poll(() => pg.messages.slice(mark).length, WAIT).toBe(2);
    expect(texts()).toEqual(['Heads-up']);
    expect(cards().size).toBe(1);
  });
});
