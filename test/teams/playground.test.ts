import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startPlayground, type Playground } from './support/playground.js';

// The same Teams side as teams-app.test.ts, in Microsoft 365 Agents Playground: it posts msteams
// activities to the real app and plays the Bot Connector the bot sends to.

let server: TestServer;
let playground: Playground;

beforeEach(async () => {
  server = await startTestServer();
  playground = await startPlayground(`${server.url}/api/messages`);
  const { repos, router } = server.services;
  await repos.agents.update('agent_alex', { aadObjectId: playground.config.currentUser.aadObjectId });
  for (const agent of await repos.agents.list({ limit: 100 })) await router.presence.set(agent.id, 'away');
}, 60_000);

afterEach(async () => {
  await playground?.close();
  await server?.close();
});

/** A web chat customer asks for a person (the customer side as the widget would drive it). */
async function customerWaiting(): Promise<string> {
  const { conversations } = server.services;
  const { conversation } = await conversations.start({
    channel: 'webchat',
    channelUserId: 'web-visitor-1',
    userName: 'Dana Whitfield',
    channelRef: {},
  });
  await conversations.addCustomerMessage(conversation.id, { text: 'My fiber box shows a red light' });
  await conversations.escalate(conversation.id, 'asked for a person');
  return conversation.id;
}

describe('in Microsoft 365 Agents Playground', () => {
  it('an agent installs the app, gets an offer card, accepts it, and the card shows the outcome', async () => {
    const chat = playground.config.personalChat.id;
    await playground.install(chat);
    await expect
      .poll(async () => (await server.services.repos.agents.get('agent_alex'))?.teamsConversationRef)
      .toMatchObject({ conversation: { id: chat }, serviceUrl: expect.stringContaining('/_connector') });

    await server.services.router.presence.set('agent_alex', 'available');
    const conversationId = await customerWaiting();
    const cardMessage = () =>
      playground.messages.find((m) => m.conversationId === chat && m.attachments.length > 0);
    await expect.poll(cardMessage, { timeout: 10_000 }).toBeDefined();
    const offer = cardMessage()!;
    expect(JSON.stringify(offer.attachments[0]?.content)).toContain('Dana Whitfield');

    const answer = await playground.execute(chat, offer.messageId, 'offer.accept', {
      offerKey: (offer.attachments[0]?.content.actions as Array<{ data: { offerKey: string } }>)[0]!.data
        .offerKey,
      conversationId,
    });
    expect(JSON.stringify(answer)).toContain('Taken by you (Alex Rivera)');
    expect(await server.services.repos.conversations.get(conversationId)).toMatchObject({
      status: 'active',
      agentId: 'agent_alex',
    });
    // The bot's update of the message reaches the Playground's connector, which re-renders it.
    await expect
      .poll(() =>
        playground.messages.some(
          (m) =>
            m.messageId === offer.messageId &&
            m.action !== 'createMessage' &&
            JSON.stringify(m).includes('Taken by you'),
        ),
      )
      .toBe(true);
  });
});
