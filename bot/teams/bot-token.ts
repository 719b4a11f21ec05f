import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import type { BotAdapter } from '../adapter.js';

/**
 * Bearer tokens for the bot's own calls to the Bot Connector, from the adapter's credentials (the
 * same MSAL-backed ones botbuilder uses for replies). Local mode has none: requests go unsigned, as
 * the Emulator and local test channels expect.
 */
export function botTokenSource(bot: BotAdapter): (serviceUrl: string) => Promise<string | undefined> {
  if (!bot.authenticated) return async () => undefined;
  const claims = new ClaimsIdentity(
    [
      { type: AuthenticationConstants.AudienceClaim, value: bot.appId },
      { type: AuthenticationConstants.AppIdClaim, value: bot.appId },
    ],
    true,
  );
  const factory = bot.auth.createConnectorFactory(claims);
  return async (serviceUrl) => {
    const client = await factory.create(serviceUrl, AuthenticationConstants.ToChannelFromBotOAuthScope);
    // signRequest is the credentials' contract with every botbuilder client: it sets Authorization.
    const headers = new Map<string, string>();
    await client.credentials.signRequest({
      url: serviceUrl,
      method: 'POST',
      headers: { set: (name: string, value: string) => headers.set(name.toLowerCase(), value) },
    } as never);
    return headers.get('authorization')?.replace(/^Bearer\s+/i, '');
  };
}
