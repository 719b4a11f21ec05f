import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityTypes, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { createCustomerBot, type CustomerBotParts } from '../../../bot/customer-bot/index.js';
import { systemDeps, type Conversation, type Deps } from '../../../services/domain/index.js';
import { silentLogger } from '../../../services/log.js';
import { openEmbeddedStore, type DocumentStore } from '../../../services/store/index.js';
import type { KnowledgeArticle, SurveyQuestion } from '../../../services/domain/index.js';
import { buildBotServices, type BotServices } from './services.js';

/**
 * A clock tests can move forward (inactivity, token expiry) without sleeping, optionally starting at
 * a given moment (a Saturday, when the billing team is away).
 */
export function movableClock(startAt?: Date): Deps & { advance(ms: number): void } {
  let offset = startAt ? startAt.getTime() - Date.now() : 0;
  return {
    ...systemDeps,
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}

export interface TestBot extends BotServices {
  adapter: TestAdapter;
  /** Another customer's chat on the same bot and services. */
  adapterFor(conversationId: string, userId?: string): TestAdapter;
  parts: CustomerBotParts;
  deps: ReturnType<typeof movableClock>;
  /** Sends a customer activity (text or a full activity) and waits for the turn and relays to finish. */
  say(input: string | Partial<Activity>): Promise<void>;
  /** Everything the bot sent since the last call, in order. */
  replies(): Partial<Activity>[];
  /** The message texts of `replies()`. */
  texts(): string[];
  /**
   * The channel refuses the next `count` proactive sends (the relay's), after letting `skip` through:
   * a channel that is down, or a process that dies before it sends.
   */
  refuseSends(count: number, skip?: number): void;
  /** The Switchboard conversation behind the test channel conversation. */
  conversation(): Promise<Conversation>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The customer bot on botbuilder's TestAdapter with the real services behind it (embedded store,
 * router, NLP). `channelId: 'directline'` gives the widget flavour (events); anything else text.
 */
export async function startTestBot(
  opts: {
    channelId?: string;
    survey?: SurveyQuestion[];
    conversationId?: string;
    /** The demo company (its work streams, queues with opening hours, agents) instead of the fixtures. */
    demo?: boolean;
    /** What the clock says at start. */
    at?: Date;
    /** Knowledge articles beside the demo ones. */
    articles?: Array<Omit<KnowledgeArticle, 'createdAt' | 'updatedAt'>>;
  } = {},
): Promise<TestBot> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-testbot-'));
  const store: DocumentStore = await openEmbeddedStore(dataDir);
  const deps = movableClock(opts.at);
  const services = await buildBotServices(store, deps, {
    survey: opts.survey,
    demo: opts.demo,
    articles: opts.articles,
  });

  // One TestAdapter per channel conversation; proactive sends go to the adapter of their conversation.
  const adapters = new Map<string, TestAdapter>();
  const refusing = { skip: 0, count: 0 };
  const parts = await createCustomerBot({
    store,
    conversations: services.conversations,
    agents: services.repos.agents,
    selfService: services.selfService,
    bus: services.bus,
    files: services.repos.files,
    // The test channel is not this server's Direct Line channel: its customers cannot open files
    // kept here, and it says nobody is signed in.
    ownChannelUrl: () => 'http://127.0.0.1:1/v3/directline',
    // Nothing vouches for the TestAdapter's activities, as in local mode.
    connectorVouches: false,
    // TestAdapter has no continueConversation: a context on the stored reference does the same job.
    proactive: async (reference, logic) => {
      if (refusing.count > 0) {
        if (refusing.skip > 0) refusing.skip--;
        else {
          refusing.count--;
          throw new Error('the channel refused the send');
        }
      }
      const activity = TurnContext.applyConversationReference(
        { type: ActivityTypes.Event, name: 'continue' },
        reference,
        true,
      );
      const target = adapters.get(reference.conversation?.id ?? '');
      if (!target) throw new Error(`no test adapter for ${reference.conversation?.id}`);
      await logic(new TurnContext(target, activity));
    },
    deps,
    log: silentLogger,
  });
  const adapterFor = (conversationId: string, userId = 'customer-1'): TestAdapter => {
    const a = new TestAdapter((context) => parts.bot.run(context), {
      channelId: opts.channelId ?? 'test',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: userId, name: 'Customer' },
      recipient: { id: 'bot', name: 'Switchboard' },
    });
    adapters.set(conversationId, a);
    return a;
  };
  const adapter = adapterFor(opts.conversationId ?? `convo-${Math.random().toString(36).slice(2)}`);

  const settle = () => parts.idle();
  const replies = () => adapter.activeQueue.splice(0, adapter.activeQueue.length);

  return {
    ...services,
    adapter,
    adapterFor,
    parts,
    deps,
    async say(input) {
      await adapter.processActivity(
        typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : input,
      );
      await settle();
    },
    replies,
    refuseSends(count, skip = 0) {
      Object.assign(refusing, { count, skip });
    },
    texts: () =>
      replies()
        .filter((a) => a.type === ActivityTypes.Message)
        .map((a) => a.text ?? ''),
    async conversation() {
      const created = services.events.filter((e) => e.type === 'conversation.created').at(-1);
      if (!created) throw new Error('no conversation yet');
      return services.conversations.get(created.conversationId);
    },
    settle,
    async close() {
      await settle();
      parts.stop();
      await services.router.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The conversationUpdate a channel sends when the customer opens the chat. */
export const customerJoins: Partial<Activity> = {
  type: ActivityTypes.ConversationUpdate,
  membersAdded: [{ id: 'customer-1', name: 'Customer' }],
};
