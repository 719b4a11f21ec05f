import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import type restify from 'restify';
import { z } from 'zod';
import type { Config } from '../services/config.js';
import type { AgentDirectory, ConversationService } from '../services/conversations/index.js';
import type { Deps, StoredEvent } from '../services/domain/index.js';
import { route } from '../services/http/errors.js';
import type { Logger } from '../services/log.js';
import type { DocumentStore } from '../services/store/port.js';
import { createBotAdapter, type BotAdapter, type BotAuthOverrides } from './adapter.js';
import { verifyBotConnectorToken } from './bot-caller.js';
import { CustomerBot } from './customer-bot/customer-bot.js';
import { createDialogRunner } from './customer-bot/dialog-runner.js';
import { startCustomerRelay, type CustomerRelay } from './customer-bot/relay.js';
import { createBotSessions } from './customer-bot/session-store.js';
import type { SelfServicePort } from './customer-bot/understand.js';
import { mountDirectLine, type BotDelivery, type DirectLineChannel } from './directline/index.js';
import { KeyedQueue } from './keyed-queue.js';

export type { BotAuthOverrides } from './adapter.js';
export type { SelfServicePort } from './customer-bot/understand.js';

/** What the bot needs from the composition root. */
export interface BotContext {
  config: Config;
  store: DocumentStore;
  conversations: ConversationService;
  agents: AgentDirectory;
  /** Intent classification and knowledge search for self-service answers. */
  selfService: SelfServicePort;
  bus: { subscribe(listener: (event: StoredEvent) => void): () => void };
  deps: Deps;
  log: Logger;
  /** Tests only: local stand-ins for the Bot Framework token endpoints. */
  botAuthOverrides?: BotAuthOverrides;
  /** A customer who confirmed an answer and stays quiet this long is closed as resolved by the bot (default 5). */
  botIdleResolveMinutes?: number;
}

export interface MountedBot {
  adapter: BotAdapter['adapter'];
  relay: CustomerRelay;
  directLine: DirectLineChannel;
  /** Closes bot conversations whose customer went quiet after a confirmed answer (the timer calls it too). */
  sweepIdle(): Promise<number>;
  /** Resolves when every activity and relay delivery started so far is done (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The shape `/api/messages` accepts before the adapter sees it: a clear 400 instead of a 500. */
const inboundActivity = z
  .object({
    type: z.string().min(1),
    channelId: z.string().min(1),
    serviceUrl: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
    from: z.object({ id: z.string().min(1) }).passthrough(),
    text: z.string().max(100_000).optional(),
  })
  .passthrough();

const SWEEP_INTERVAL_MS = 30_000;

/**
 * Mounts the Bot Framework endpoint (`POST /api/messages`), the customer bot with its relay, and the
 * local Direct Line channel (`/v3/directline`) on the restify server.
 */
export async function mountBot(server: restify.Server, ctx: BotContext): Promise<MountedBot> {
  const log = ctx.log.child({ part: 'bot' });
  const bot = createBotAdapter(ctx.config, log, ctx.botAuthOverrides);
  const sessions = await createBotSessions(ctx.store);
  const turns = new KeyedQueue();
  const runner = createDialogRunner({ conversations: ctx.conversations, sessions, deps: ctx.deps, log });

  const relay = startCustomerRelay({
    bus: ctx.bus,
    conversations: ctx.conversations,
    sessions,
    runner,
    turns,
    agents: ctx.agents,
    proactive: (reference, logic) => bot.adapter.continueConversationAsync(bot.appId, reference, logic),
    deps: ctx.deps,
    log,
  });

  const customerBot = new CustomerBot({
    conversations: ctx.conversations,
    sessions,
    runner,
    selfService: ctx.selfService,
    turns,
    deps: ctx.deps,
    log,
    onEscalated: (id) => relay.watch(id),
    onCustomerTyping: (id) => ctx.conversations.typing({ conversationId: id, author: 'customer' }),
  });

  server.post(
    '/api/messages',
    route(log, async (req, res) => {
      const parsed = inboundActivity.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        res.send(400, {
          error: {
            code: 'bot.invalid_activity',
            message: `${issue?.path.join('.') || 'activity'}: ${issue?.message}`,
          },
        });
        return;
      }
      await bot.adapter.process(req, res, (context) => customerBot.run(context));
    }),
  );

  const listening = () => (server.address() as AddressInfo | null)?.port;
  const localBase = () => `http://127.0.0.1:${listening() ?? ctx.config.port}`;
  // With PORT=0 (tests) the configured public URL names no real port; the bound one is the truth.
  const baseUrl = () => (/:0$/.test(ctx.config.publicUrl) ? localBase() : ctx.config.publicUrl);
  const botId = bot.appId || 'switchboard-bot';

  const directLine = await mountDirectLine(server, {
    store: ctx.store,
    deliver: bot.authenticated
      ? inProcessDelivery(bot, customerBot)
      : httpDelivery(() => `${localBase()}/api/messages`),
    baseUrl,
    botId,
    deps: ctx.deps,
    log,
    verifyBotCaller: bot.authenticated
      ? (authorization) =>
          verifyBotConnectorToken(authorization, bot.appId, ctx.botAuthOverrides?.botTokenJwksUrl)
      : undefined,
  });

  const idleMinutes = ctx.botIdleResolveMinutes ?? 5;
  async function sweepIdle(): Promise<number> {
    const before = new Date(ctx.deps.now().getTime() - idleMinutes * 60_000);
    const idle = await sessions.idleConfirmed(before);
    for (const s of idle) {
      await turns.run(s.key, async () => {
        const c = await ctx.conversations.get(s.conversationId);
        const reference = c.channelRef as
          Parameters<typeof bot.adapter.continueConversationAsync>[1] | undefined;
        if (!reference) return;
        await runner.step(s, { kind: 'inactivity' }, (activity) =>
          bot.adapter.continueConversationAsync(bot.appId, reference, async (context) => {
            await context.sendActivity(activity);
          }),
        );
      });
    }
    return idle.length;
  }
  const timer = setInterval(() => {
    sweepIdle().catch((err: unknown) => log.error('idle sweep failed', { err }));
  }, SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    adapter: bot.adapter,
    relay,
    directLine: directLine.channel,
    sweepIdle,
    async idle() {
      for (let i = 0; i < 3; i++) {
        await directLine.channel.idle();
        await relay.idle();
        await turns.drain();
      }
    },
    async close() {
      clearInterval(timer);
      relay.stop();
      directLine.close();
    },
  };
}

/** Local mode: the channel posts to `/api/messages` over real HTTP, as Azure's channels do. */
function httpDelivery(endpoint: () => string): BotDelivery {
  return async (activity) => {
    const res = await fetch(endpoint(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (!res.ok) throw new Error(`The bot answered ${res.status} to a Direct Line activity`);
  };
}

/**
 * Authenticated mode: only the Bot Connector can mint tokens the bot accepts, and this channel is not
 * it, so it hands the activity to the adapter in-process with the bot's own identity. Replies still
 * travel over HTTP to the channel's Bot Connector routes, carrying the bot's real token.
 */
function inProcessDelivery(bot: BotAdapter, customerBot: CustomerBot): BotDelivery {
  return async (activity) => {
    const claimsIdentity = new ClaimsIdentity(
      [
        { type: AuthenticationConstants.AudienceClaim, value: bot.appId },
        { type: AuthenticationConstants.AppIdClaim, value: bot.appId },
      ],
      true,
    );
    await bot.adapter.processActivityDirect(
      {
        audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
        claimsIdentity,
        connectorFactory: bot.auth.createConnectorFactory(claimsIdentity),
      },
      activity as Activity,
      (context) => customerBot.run(context),
    );
  };
}
