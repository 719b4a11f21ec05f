import { Channels, type Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  type AuthenticateRequestResult,
} from 'botframework-connector';
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
 *
 * Either way the answer is the same for every activity the channel hands over (in local mode
 * anonymous claims; only an emulator's skill call would differ, and none comes this way), so it is
 * worked out once. Worked out per turn, botbuilder's chain of async steps made about a tenth of
 * what a turn leaves for the old generation to collect (ADR 0019, stop 51).
 */
export function inProcessDelivery(bot: BotAdapter, customerBot: CustomerBot): BotDelivery {
  let auth: Promise<AuthenticateRequestResult> | null = null;
  const authOf = (activity: Activity): Promise<AuthenticateRequestResult> => {
    if (!bot.authenticated && activity.channelId === Channels.Emulator)
      return bot.auth.authenticateRequest(activity, '');
    auth ??= (
      bot.authenticated ? Promise.resolve(ownAuth(bot)) : bot.auth.authenticateRequest(activity, '')
    ).catch((err: unknown) => {
      auth = null; // asked again next time rather than failing every turn
      throw err;
    });
    return auth;
  };
  return async (activity) => {
    await bot.adapter.run(await authOf(activity as Activity), activity as Activity, (context) =>
      customerBot.run(context),
    );
  };
}

function ownAuth(bot: BotAdapter): AuthenticateRequestResult {
  return {
    audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
    claimsIdentity: ownIdentity(bot.appId),
    connectorFactory: bot.auth.createConnectorFactory(ownIdentity(bot.appId)),
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
