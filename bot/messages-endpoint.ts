import type { TurnContext } from 'botbuilder';
import type restify from 'restify';
import type { Logger } from '../services/log.js';
import { messagesEndpoint, type BotAdapter } from './adapter.js';
import { route } from './http.js';
import type { InboundTrust } from './inbound-trust.js';

/**
 * `POST /api/messages`, the Bot Framework endpoint: a clear 400 for what is not an activity, the
 * inbound trust refuses senders and serviceUrls the bot has no reason to believe, then the adapter
 * authenticates the caller and runs the turn.
 */
export function mountMessagesEndpoint(
  server: restify.Server,
  log: Logger,
  bot: BotAdapter,
  trust: InboundTrust,
  runTurn: (context: TurnContext) => Promise<void>,
): void {
  server.post('/api/messages', route(log, messagesEndpoint(bot, trust, log, runTurn)));
}
