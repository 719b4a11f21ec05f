import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { dlErrors } from './directline/errors.js';
import { bearer } from './directline/tokens.js';

/** Where Entra ID publishes the keys it signs app tokens with (v1 and v2 tokens share them). */
export const ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
/** The audience of tokens a bot obtains to call a channel (Bot Connector scope). */
export const BOT_CONNECTOR_AUDIENCE = 'https://api.botframework.com';

const keySets = new Map<string, JWTVerifyGetKey>();

/**
 * In authenticated mode the Direct Line channel's Bot Connector routes accept only the bot itself:
 * an app token for the Bot Connector audience, issued to our MicrosoftAppId (`appid` in v1 tokens,
 * `azp` in v2), signed with keys from the JWKS.
 */
export async function verifyBotConnectorToken(
  authorization: string | undefined,
  appId: string,
  jwksUrl: string = ENTRA_JWKS_URL,
): Promise<void> {
  const token = bearer(authorization);
  if (!token) throw dlErrors.unauthorizedBot();
  let keys = keySets.get(jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUrl));
    keySets.set(jwksUrl, keys);
  }
  try {
    const { payload } = await jwtVerify(token, keys, { audience: BOT_CONNECTOR_AUDIENCE });
    const caller = (payload.appid ?? payload.azp) as string | undefined;
    if (caller !== appId) throw new Error('token issued to another app');
  } catch {
    // Whatever failed (signature, expiry, audience, app), the caller gets the same 401.
    throw dlErrors.unauthorizedBot();
  }
}
