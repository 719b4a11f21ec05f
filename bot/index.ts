import type { AddressInfo } from 'node:net';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type restify from 'restify';
import type { Config } from '../services/config.js';
import type { AgentDirectory, ConversationService } from '../services/conversations/index.js';
import type { Deps } from '../services/domain/index.js';
import type { EventSource } from '../services/events/index.js';
import type { Logger } from '../services/log.js';
import type { DocumentStore, Files } from '../services/store/index.js';
import { createBotAdapter, type BotAdapter, type BotAuthOverrides } from './adapter.js';
import { verifyBotConnectorToken } from './bot-caller.js';
import { createCustomerBot, type CustomerRelay, type SelfServicePort } from './customer-bot/index.js';
import { inProcessDelivery } from './delivery.js';
import {
  loadChannelKeys,
  mountDirectLine,
  type ChannelFiles,
  type DirectLineChannel,
  type DirectLineLimits,
  type MountedDirectLine,
} from './directline/index.js';
import type { EdgeGuards } from './guards.js';
import { createInboundTrust } from './inbound-trust.js';
import { removeBotMention } from './mentions.js';
import { mountMessagesEndpoint } from './messages-endpoint.js';
import { botTokenSource, createTeamsBot, type MountedTeamsBot, type TeamsServices } from './teams/index.js';

export type { BotAuthOverrides } from './adapter.js';
export type { DirectLineLimits } from './directline/index.js';
export { selfServiceFrom, type SelfServicePort } from './customer-bot/index.js';

/** What the bot needs from the composition root. */
export interface BotContext {
  config: Config;
  store: DocumentStore;
  conversations: ConversationService;
  agents: AgentDirectory;
  /** Where files customers and agents send are kept. */
  files: ChannelFiles & Pick<Files, 'info'>;
  /** Intent classification and knowledge search for self-service answers. */
  selfService: SelfServicePort;
  bus: EventSource;
  deps: Deps;
  log: Logger;
  /** The server's origin policy, rate limits and upgrade owner, for the widget and the Direct Line channel. */
  edge: EdgeGuards;
  /** Tests only: other Direct Line limits than the defaults. */
  directLineLimits?: DirectLineLimits;
  /** Tests only: local stand-ins for the Bot Framework token endpoints. */
  botAuthOverrides?: BotAuthOverrides;
  /** Services for the Teams bot of agents and supervisors (offers, queues, consults, alerts). */
  teams?: TeamsServices;
  /** A customer who confirmed an answer and stays quiet this long is closed as resolved by the bot (default 5). */
  botIdleResolveMinutes?: number;
  /**
   * Other bots on the same endpoint (e.g. the Teams bot for agents and supervisors). The first whose
   * `accepts` says yes runs the turn; everything else is a customer and goes to the customer bot.
   */
  otherBots?: Array<{
    accepts(context: TurnContext): boolean | Promise<boolean>;
    run(context: TurnContext): Promise<void>;
  }>;
}

export interface MountedBot {
  adapter: BotAdapter['adapter'];
  /** The bot's app id ('' in local mode), for proactive turns through `adapter`. */
  appId: string;
  relay: CustomerRelay;
  /** The Teams bot for agents and supervisors, when `teams` services were given. */
  teams?: MountedTeamsBot;
  directLine: DirectLineChannel;
  /**
   * Closes bot conversations whose customer went quiet: resolved after a confirmed answer, abandoned
   * after the work stream's inactivity time otherwise; and ends the Direct Line conversation of a
   * widget chat whose rating question lapsed. A 30-second timer calls it too.
   */
  sweepIdle(): Promise<number>;
  /** Resolves when every activity and relay delivery started so far is done (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 30_000;

/**
 * Mounts the Bot Framework endpoint (`POST /api/messages`), the customer bot with its relay, and the
 * local Direct Line channel (`/v3/directline`) on the restify server.
 */
export async function mountBot(server: restify.Server, ctx: BotContext): Promise<MountedBot> {
  const log = ctx.log.child({ part: 'bot' });
  const keys = await loadChannelKeys(ctx.store, ctx.config.directLineSecret);
  if (keys.secretGenerated) {
    log.info('using the Direct Line secret generated for this install', {
      where: "the store's directline_keys collection (id directline-secret)",
      hint: 'set DIRECT_LINE_SECRET to choose your own',
    });
  }
  // Asked for every activity the bot sends; the bound port does not change once known.
  let boundPort: number | undefined;
  const listening = () => (boundPort ??= (server.address() as AddressInfo | null)?.port);
  const localBase = () => `http://127.0.0.1:${listening() ?? ctx.config.port}`;
  // With PORT=0 (tests) the configured public URL names no real port; the bound one is the truth.
  const baseUrl = () => (/:0$/.test(ctx.config.publicUrl) ? localBase() : ctx.config.publicUrl);
  const channelServiceUrl = () => `${baseUrl()}/v3/directline`;
  // The channel is mounted after the adapter; until then no instance is anyone's sibling.
  let siblingChannel: MountedDirectLine['siblingChannel'] = async () => undefined;
  const bot = createBotAdapter(ctx.config, log, ctx.botAuthOverrides, {
    serviceUrl: channelServiceUrl,
    botSecret: keys.botSecret,
    siblingChannel: (url) => siblingChannel(url),
  });
  const parts = await createCustomerBot({
    store: ctx.store,
    conversations: ctx.conversations,
    agents: ctx.agents,
    selfService: ctx.selfService,
    bus: ctx.bus,
    proactive: (reference, logic) => bot.adapter.continueConversationAsync(bot.appId, reference, logic),
    files: ctx.files,
    ownChannelUrl: channelServiceUrl,
    connectorVouches: bot.authenticated,
    deps: ctx.deps,
    log,
    idleResolveMinutes: ctx.botIdleResolveMinutes,
  });
  const customerBot = parts.bot;
  // What the agent side did just before the last stop that never reached the customer (messages,
  // joined / left / ended) goes now; the channel is reached over HTTP, so once the server listens.
  const catchUp = () => {
    parts.relay
      .catchUp()
      .then(({ messages, updates }) => {
        if (messages + updates > 0)
          log.info('customer relay telling customers what they missed before the start', {
            messages,
            updates,
          });
      })
      .catch((err: unknown) => log.error('customer relay catch-up failed', { err }));
  };
  if (server.server.listening) catchUp();
  else server.server.once('listening', catchUp);
  const teamsBot = ctx.teams
    ? await createTeamsBot({
        services: ctx.teams,
        store: ctx.store,
        bus: ctx.bus,
        deps: ctx.deps,
        log,
        token: botTokenSource(bot),
        publicUrl: baseUrl,
        teamsAppId: bot.appId,
      })
    : undefined;
  const otherBots = [...(teamsBot ? [teamsBot] : []), ...(ctx.otherBots ?? [])];

  const trust = await createInboundTrust({
    store: ctx.store,
    authenticated: bot.authenticated,
  });
  mountMessagesEndpoint(server, log, bot, trust, async (context) => {
    // Before either bot reads the text: an @mention of the bot addresses it and is not what was said.
    if (context.activity.type === ActivityTypes.Message) removeBotMention(context.activity);
    for (const other of otherBots) {
      if (await other.accepts(context)) return other.run(context);
    }
    return customerBot.run(context);
  });

  const botId = bot.appId || 'switchboard-bot';

  const directLine = await mountDirectLine(server, {
    store: ctx.store,
    files: ctx.files,
    chatAuthSecret: ctx.config.chatAuthSecret,
    chatAuthJwksUrl: ctx.config.chatAuthJwksUrl,
    keys,
    deliver: inProcessDelivery(bot, customerBot),
    baseUrl,
    botId,
    deps: ctx.deps,
    log,
    edge: ctx.edge,
    limits: ctx.directLineLimits,
    verifyBotCaller: bot.authenticated
      ? (authorization) =>
          verifyBotConnectorToken(authorization, bot.appId, ctx.botAuthOverrides?.botTokenJwksUrl)
      : undefined,
  });

  siblingChannel = directLine.siblingChannel;
  bot.auth.useOwnChannel({
    serviceUrl: channelServiceUrl,
    postFromBot: (conversationId, body) => directLine.channel.postFromBot(conversationId, body),
    siblingChannel,
  });

  const sweepIdle = parts.sweepIdle;
  const timer = setInterval(() => {
    sweepIdle().catch((err: unknown) => log.error('idle sweep failed', { err }));
  }, SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    adapter: bot.adapter,
    appId: bot.appId,
    relay: parts.relay,
    teams: teamsBot,
    directLine: directLine.channel,
    sweepIdle,
    async idle() {
      for (let i = 0; i < 3; i++) {
        await directLine.channel.idle();
        await parts.idle();
        await teamsBot?.idle();
      }
    },
    async close() {
      clearInterval(timer);
      parts.stop();
      teamsBot?.stop();
      directLine.close();
    },
  };
}
