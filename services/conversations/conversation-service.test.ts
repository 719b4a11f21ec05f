import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scoreSentiment } from '../assist/index.js';
import { systemDeps, type StoredEvent } from '../domain/index.js';
import { EventBus } from '../events/index.js';
import {
  createRepositories,
  openEmbeddedStore,
  type DocumentStore,
  type Repositories,
} from '../store/index.js';
import { conversationPortsFromRepositories } from './from-repositories.js';
import {
  createConversationService,
  MAX_CUSTOM_KEYS,
  MAX_NAVIGATION_ENTRIES,
  type ConversationService,
} from './conversation-service.js';
import type { RoutingPort } from './ports.js';

// The customer-side service on the real embedded store. Routing is a recording double here: these
// tests are about what the service stores and publishes, the router has its own suite.

let dir: string;
let store: DocumentStore;
let repos: Repositories;
let service: ConversationService;
let events: StoredEvent[];
let routed: string[];

const router: RoutingPort = {
  enqueue: async (id, reason) => {
    routed.push(`enqueue ${id} ${reason}`);
  },
  queueStatus: async () => ({ position: 1, estimatedWaitSeconds: 60 }),
  preview: async () => ({
    queueId: 'q',
    queueName: 'Q',
    open: true,
    opensAt: new Date(),
    estimatedWaitSeconds: 60,
  }),
  abandon: async (id) => {
    routed.push(`abandon ${id}`);
  },
  endByCustomer: async (id) => {
    routed.push(`end ${id}`);
  },
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'switchboard-conv-'));
  store = await openEmbeddedStore(dir);
  repos = await createRepositories(store, systemDeps);
  const bus = new EventBus(repos.events, systemDeps.now);
  events = [];
  routed = [];
  bus.subscribe((e) => events.push(e));
  await repos.queues.create({ id: 'queue_a', name: 'A' });
  await repos.workstreams.create({
    id: 'ws_web',
    name: 'Web',
    channel: 'webchat',
    fallbackQueueId: 'queue_a',
  });
  await repos.agents.create({ id: 'agent_kim', name: 'Kim', email: 'kim@example.com' });
  service = createConversationService(
    conversationPortsFromRepositories(repos, { router, sentiment: scoreSentiment, bus }),
    systemDeps,
  );
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const start = (userId = 'dl_user0001') =>
  service.start({ channel: 'webchat', channelUserId: userId, channelRef: { conversation: { id: 'c1' } } });

describe('the customer side of a conversation', () => {
  it('recognises a returning customer by their channel identity', async () => {
    const first = await start();
    const second = await start();
    expect(second.customer.id).toBe(first.customer.id);
    expect(second.conversation.id).not.toBe(first.conversation.id);
    expect(first.conversation.status).toBe('bot');
    expect(events.filter((e) => e.type === 'conversation.created')).toHaveLength(2);
  });

  it('scores customer messages, moves the rolling sentiment and publishes both', async () => {
    const { conversation } = await start();
    const calm = await service.addCustomerMessage(conversation.id, { text: 'Hello there', activityId: 'a1' });
    const angry = await service.addCustomerMessage(conversation.id, {
      text: 'This is awful, I hate it, worst ever',
      activityId: 'a2',
    });
    expect(calm.message.seq).toBe(1);
    expect(angry.message.sentiment?.score).toBeLessThan(0);
    expect((await service.get(conversation.id)).sentiment?.score).toBeLessThan(0);
    expect(events.filter((e) => e.type === 'message.added')).toHaveLength(2);
    expect(events.some((e) => e.type === 'sentiment.changed')).toBe(true);
  });

  it('ignores a retried activity id: one message, one event', async () => {
    const { conversation } = await start();
    const first = await service.addCustomerMessage(conversation.id, { text: 'hi', activityId: 'same' });
    const sentimentBefore = (await service.get(conversation.id)).sentiment;
    const told = events.length;
    // Whatever a retry says, it is the first message again: no number taken, no sentiment moved.
    const retry = await service.addCustomerMessage(conversation.id, {
      text: 'this is terrible, awful, the worst service ever',
      activityId: 'same',
    });
    expect(retry.duplicate).toBe(true);
    expect(retry.message).toEqual(first.message);
    expect(await repos.messages.list(conversation.id)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'message.added')).toHaveLength(1);
    const after = await service.get(conversation.id);
    expect(after.lastMessageSeq).toBe(1);
    expect(after.sentiment).toEqual(sentimentBefore);
    expect(events.slice(told)).toEqual([]);
  });

  it('refuses a message over 4,000 characters and stores nothing', async () => {
    const { conversation } = await start();
    await expect(
      service.addCustomerMessage(conversation.id, { text: 'x'.repeat(4001) }),
    ).rejects.toMatchObject({
      code: 'message.too_long',
    });
    expect(await repos.messages.list(conversation.id)).toEqual([]);
  });

  it("reads the customer the caller names beside the conversation, and only the conversation's own", async () => {
    const { conversation, customer } = await start('dl_named0001');
    await service.recordPreChat(conversation.id, { name: 'Ann Lee' });
    const stranger = await start('dl_stranger01');
    await service.recordPreChat(stranger.conversation.id, { name: 'Someone Else' });
    // The conversation's read answers a turn later and notes which customers were asked by then.
    const asked: string[] = [];
    let askedBeforeConversation: string[] | undefined;
    const ports = conversationPortsFromRepositories(repos, {
      router,
      sentiment: scoreSentiment,
      bus: new EventBus(repos.events, systemDeps.now),
    });
    const watched = createConversationService(
      {
        ...ports,
        conversations: {
          ...ports.conversations,
          get: async (id) => {
            const found = await ports.conversations.get(id);
            await new Promise((resolve) => setImmediate(resolve));
            askedBeforeConversation = [...asked];
            return found;
          },
        },
        customers: {
          ...ports.customers,
          get: (id) => {
            asked.push(id);
            return ports.customers.get(id);
          },
        },
      },
      systemDeps,
    );

    const named = await watched.addCustomerMessage(conversation.id, {
      text: 'hello',
      customerId: customer.id,
    });
    expect(named.message.authorName).toBe('Ann Lee');
    expect(askedBeforeConversation).toEqual([customer.id]);
    expect(asked).toEqual([customer.id]);

    // A customer the conversation does not name is not its author.
    asked.length = 0;
    const wrong = await watched.addCustomerMessage(conversation.id, {
      text: 'again',
      customerId: stranger.customer.id,
    });
    expect(wrong.message).toMatchObject({ authorId: customer.id, authorName: 'Ann Lee' });
    expect(asked).toEqual([stranger.customer.id, customer.id]);

    // Without one, the conversation's customer is read after it.
    asked.length = 0;
    const unnamed = await watched.addCustomerMessage(conversation.id, { text: 'and again' });
    expect(unnamed.message.authorName).toBe('Ann Lee');
    expect(askedBeforeConversation).toEqual([]);
    expect(asked).toEqual([customer.id]);
  });

  it('stores pre-chat answers as context and learns the contact details', async () => {
    const { conversation, customer } = await start();
    await service.recordPreChat(conversation.id, {
      name: 'Ann Lee',
      email: 'ann@example.com',
      topic: 'Billing',
    });
    expect((await service.get(conversation.id)).context.preChat).toEqual({
      name: 'Ann Lee',
      email: 'ann@example.com',
      topic: 'Billing',
    });
    expect(await repos.customers.get(customer.id)).toMatchObject({
      name: 'Ann Lee',
      email: 'ann@example.com',
    });
  });

  it('stores no card number a customer typed: in a message, a pre-chat answer, a rating comment', async () => {
    const { conversation } = await start();
    const id = conversation.id;
    await service.recordPreChat(id, { name: 'Ann Lee', more: 'charged twice on 4111 1111 1111 1111' });
    const message = await service.addCustomerMessage(id, { text: 'it was 5105105105105100' });
    await service.recordCsat(id, 4, 'refund to 4111-1111-1111-1111 please');
    const stored = await service.get(id);
    expect(stored.context.preChat.more).toBe('charged twice on •••• •••• •••• 1111');
    expect(message.message.text).toBe('it was ••••••••••••5100');
    expect(stored.csat?.comment).toBe('refund to ••••-••••-••••-1111 please');
  });

  it('records portal navigation once, however often the widget re-reports it', async () => {
    const { conversation } = await start();
    const page = {
      kind: 'page' as const,
      title: 'Billing',
      url: 'https://example.com/billing',
      at: new Date('2026-11-25T08:00:00Z'),
    };
    await service.recordVisitorContext(conversation.id, { portalNavigation: [page] });
    await service.recordVisitorContext(conversation.id, { portalNavigation: [page] });
    await service.addPortalNavigation(conversation.id, [
      page,
      { ...page, title: 'Refunds', at: new Date('2026-11-25T08:02:00Z') },
    ]);
    expect((await service.get(conversation.id)).context.portalNavigation.map((e) => e.title)).toEqual([
      'Billing',
      'Refunds',
    ]);
  });

  it("keeps the page's claim that the visitor is signed in as reported, never as verified", async () => {
    const { conversation } = await start();
    const c = await service.recordVisitorContext(conversation.id, {
      visitor: { browser: 'Edge', authenticated: true },
    });
    expect(c.context.visitor).toEqual({ browser: 'Edge', authenticated: false, reportedAuthenticated: true });
  });

  it('bounds the context a scripted widget can pile onto a conversation', async () => {
    const { conversation } = await start();
    for (let batch = 0; batch < 6; batch++) {
      await service.recordVisitorContext(conversation.id, {
        custom: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${batch}_${i}`, i])),
        portalNavigation: Array.from({ length: 50 }, (_, i) => ({
          kind: 'page' as const,
          title: `page ${batch}-${i}`,
          at: new Date(Date.UTC(2026, 10, 25, 8, batch, i)),
        })),
      });
    }
    const c = await service.recordVisitorContext(conversation.id, { custom: { k0_0: 'updated' } });
    expect(Object.keys(c.context.custom)).toHaveLength(MAX_CUSTOM_KEYS);
    expect(c.context.custom.k0_0).toBe('updated');
    expect(c.context.portalNavigation).toHaveLength(MAX_NAVIGATION_ENTRIES);
    expect(c.context.portalNavigation.at(-1)?.title).toBe('page 5-49');
  });

  it('lets only a participating agent post, and only public messages while active', async () => {
    const { conversation } = await start();
    await expect(
      service.postAgentMessage(conversation.id, 'agent_kim', 'hi', 'public'),
    ).rejects.toMatchObject({
      code: 'conversation.not_a_participant',
      kind: 'forbidden',
    });
  });

  it('closes a bot conversation as resolved, or as abandoned when the customer just leaves', async () => {
    const a = (await start()).conversation;
    expect(await service.resolveByBot(a.id)).toMatchObject({ status: 'closed', botOutcome: 'resolved' });
    expect(events.some((e) => e.type === 'conversation.bot_resolved' && e.conversationId === a.id)).toBe(
      true,
    );
    const b = (await start()).conversation;
    expect(await service.customerLeft(b.id)).toMatchObject({ status: 'closed', botOutcome: 'abandoned' });
  });

  it('marks a waiting customer disconnected until they are back or write, never one with the bot', async () => {
    const { conversation } = await start();
    const id = conversation.id;
    const lost = new Date('2026-12-06T10:00:00Z');
    // Nobody waits on a customer still with the bot.
    expect(await service.customerConnection(id, lost)).not.toHaveProperty('customerAwaySince');
    await repos.conversations.change(id, (c) => ({ ...c, status: 'waiting', queueId: 'queue_a' }));
    expect(await service.customerConnection(id, lost)).toMatchObject({ customerAwaySince: lost });
    // Said again later: the first time stands.
    await service.customerConnection(id, new Date());
    expect(await service.get(id)).toMatchObject({ customerAwaySince: lost });
    await service.customerConnection(id, null);
    expect(await service.get(id)).not.toHaveProperty('customerAwaySince');
    // Whatever the channel last said, a customer who writes is there.
    await service.customerConnection(id, lost);
    await service.addCustomerMessage(id, { text: 'hello?' });
    expect(await service.get(id)).not.toHaveProperty('customerAwaySince');
    expect(events.filter((e) => e.type === 'customer.connection')).toMatchObject([
      { conversationId: id, connected: false },
      { conversationId: id, connected: true },
      { conversationId: id, connected: false },
      { conversationId: id, connected: true },
    ]);
  });

  it('hands escalations to routing and leaves queued departures to it', async () => {
    const { conversation } = await start();
    await service.escalate(conversation.id, 'requested');
    expect(routed).toEqual([`enqueue ${conversation.id} requested`]);
  });

  it("stores routing's overflow notice as a system message the customer sees", async () => {
    const { conversation } = await start();
    const bus = new EventBus(repos.events, systemDeps.now);
    const stop = service.followRoutingNotices(bus);
    await bus.publish({
      type: 'conversation.overflowed',
      conversationId: conversation.id,
      fromQueueId: 'queue_a',
      rule: 'closed',
      message: 'We are closed. We open Saturday at 9.',
    });
    await service.idle();
    stop();
    const lines = await service.transcript(conversation.id);
    expect(lines.map((l) => `${l.author}: ${l.text}`)).toEqual([
      'system: We are closed. We open Saturday at 9.',
    ]);
  });

  it('records a 1–5 rating with a comment and refuses anything else', async () => {
    const { conversation } = await start();
    await expect(service.recordCsat(conversation.id, 6)).rejects.toMatchObject({
      code: 'csat.invalid_rating',
    });
    await service.recordCsat(conversation.id, 5, '  Great help  ');
    expect((await service.get(conversation.id)).csat).toMatchObject({ rating: 5, comment: 'Great help' });
    expect(events.some((e) => e.type === 'csat.recorded' && e.rating === 5)).toBe(true);
  });

  it("gives the customer's transcript without internal messages", async () => {
    const { conversation } = await start();
    await service.addCustomerMessage(conversation.id, { text: 'hello' });
    await repos.messages.append({
      conversationId: conversation.id,
      author: 'agent',
      text: 'secret note',
      visibility: 'internal',
    });
    await service.addBotMessage(conversation.id, 'Hi! How can I help?');
    const photo = { name: 'lights.png', contentType: 'image/png', fileId: 'file_1' };
    await service.addCustomerMessage(conversation.id, { text: '', attachments: [photo] });
    await service.addCustomerMessage(conversation.id, {
      text: 'and the bill',
      attachments: [{ name: 'bill.pdf', contentType: 'application/pdf', fileId: 'file_2' }],
    });
    const lines = await service.transcript(conversation.id);
    expect(lines.map((l) => `${l.name}: ${l.text}`)).toEqual([
      'You: hello',
      'Virtual assistant: Hi! How can I help?',
      // Files by name: the customer's copy shows what was sent, not empty lines.
      'You: [file: lights.png]',
      'You: and the bill [file: bill.pdf]',
    ]);
  });

  it('tells typing listeners without writing an event', async () => {
    const { conversation } = await start();
    const seen: string[] = [];
    const stop = service.onTyping((s) => seen.push(`${s.author} ${s.conversationId}`));
    service.typing({ conversationId: conversation.id, author: 'customer' });
    stop();
    service.typing({ conversationId: conversation.id, author: 'customer' });
    expect(seen).toEqual([`customer ${conversation.id}`]);
    expect(events.some((e) => (e.type as string) === 'typing')).toBe(false);
  });
});
