import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { BotAdapter } from './adapter.js';
import type { CustomerBot } from './customer-bot/index.js';
import type { BotDelivery } from './directline/index.js';

/**
 * How the local Direct Line channel hands a customer's activity to the bot: in-process, as the turn
 * `/api/messages` would run for it, in both modes. The channel is part of this server, so a second
 * HTTP request to itself (client, socket, parser, router, validation) bought nothing but about a
 * tenth of a message's CPU (ADR 0019). The bot's replies come back in-process too, through the
 * connector client for the channel's own serviceUrl (channel-connector.ts).
 *
 * - Authenticated mode: only the Bot Connector can mint tokens the bot accepts, and this channel is
 *   not it, so the turn runs with the bot's own identity.
 * - Local mode: the turn is authenticated exactly as `/api/messages` authenticates this channel's
 *   requests (no Bot Connector token exists here; the channel is the sender the endpoint trusts).
 */
export function inProcessDelivery(bot: BotAdapter, customerBot: CustomerBot): BotDelivery {
  return async (activity) => {
    const auth = bot.authenticated
      ? {
          audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
          claimsIdentity: ownIdentity(bot.appId),
          connectorFactory: bot.auth.createConnectorFactory(ownIdentity(bot.appId)),
        }
      : await bot.auth.authenticateRequest(activity as Activity, '');
    await bot.adapter.run(auth, activity as Activity, (context) => customerBot.run(context));
  };
}

function ownIdentity(appId: string): ClaimsIdentity {
  return new ClaimsIdentity(
    [
      { type: AuthenticationConstants.AudienceClaim, value: appId },
      { type: AuthenticationConstants.AppIdClaim, value: appId },
    ],
    true,
  );
}
