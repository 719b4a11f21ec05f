import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { BotAdapter } from './adapter.js';
import type { CustomerBot } from './customer-bot/index.js';
import type { BotDelivery } from './directline/index.js';

// How the local Direct Line channel hands a customer's activity to the bot.

/**
 * Local mode: the channel posts to `/api/messages` over real HTTP, as Azure's channels do, and says
 * who it is with the per-install bot secret (no Bot Connector token exists here).
 */
export function httpDelivery(endpoint: () => string, botSecret: string): BotDelivery {
  return async (activity) => {
    const res = await fetch(endpoint(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${botSecret}` },
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
export function inProcessDelivery(bot: BotAdapter, customerBot: CustomerBot): BotDelivery {
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
