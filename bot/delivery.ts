import http from 'node:http';
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { BotAdapter } from './adapter.js';
import type { CustomerBot } from './customer-bot/index.js';
import type { BotDelivery } from './directline/index.js';

// How the local Direct Line channel hands a customer's activity to the bot.

/**
 * Local mode: the channel posts to `/api/messages` over real HTTP, as Azure's channels do, and says
 * who it is with the per-install bot secret (no Bot Connector token exists here). The endpoint is
 * this server on loopback (plain `http:`), reached with `node:http` on kept-alive connections:
 * `fetch` costs noticeably more CPU per request (web streams, its own dispatcher) on this hot path.
 */
export function httpDelivery(endpoint: () => string, botSecret: string): BotDelivery {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        endpoint(),
        {
          method: 'POST',
          agent,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            Authorization: `Bearer ${botSecret}`,
          },
        },
        (res) => {
          // The turn is over when the endpoint answers; its body (an invoke response) is not needed.
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`The bot answered ${status} to a Direct Line activity`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  return async (activity) => {
    const body = JSON.stringify(activity);
    try {
      await post(body);
    } catch (err) {
      // The server closed an idle kept-alive connection just as this request went out on it: the
      // request was never read, so it is sent again on a fresh one (the bot ignores an activity id
      // it already has, should it ever have been read).
      const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
      if (!e.reusedSocket || e.code !== 'ECONNRESET') throw err;
      await post(body);
    }
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
