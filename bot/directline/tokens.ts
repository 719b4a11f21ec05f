import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { VerifiedTokens } from '../../services/identity/index.js';
import { dlErrors } from './errors.js';

/** Lifetime of a Direct Line token; clients refresh well before (every ~15 minutes). */
export const TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'switchboard-directline';

export interface TokenClaims {
  conversationId: string;
  userId: string;
}

/** A verified token's claims and when it stops being valid (epoch ms). */
export interface VerifiedToken extends TokenClaims {
  expiresAt: number;
}

export interface DirectLineTokens {
  issue(claims: TokenClaims): Promise<{ token: string; expires_in: number }>;
  /**
   * Throws a 403 `ChannelError` for a missing, forged or expired token, and for one without an expiry
   * or living longer than a token this channel issues.
   */
  verify(token: string | undefined): Promise<VerifiedToken>;
}

/**
 * HS256 tokens carrying the conversation id (and, like Azure's, the user id under `user`, which the
 * official client reads). The key is generated once and kept in the store (keys.ts), so tokens and
 * reconnects survive a server restart; every instance on one MongoDB shares it.
 *
 * Every customer request presents its token, so verification sits on the message path: the HMAC
 * key is imported once (not per call), and a token that verified is remembered (VerifiedTokens)
 * between its issue and expiry times. Revocation is not the token's business: a conversation that
 * ended is refused by the channel whatever the token says.
 */
export function createDirectLineTokens(key: Uint8Array, now: () => Date): DirectLineTokens {
  let imported: Promise<CryptoKey> | null = null;
  const hmacKey = () =>
    (imported ??= crypto.subtle.importKey(
      'raw',
      new Uint8Array(key),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    ));
  const verified = new VerifiedTokens<VerifiedToken>();
  return {
    async issue({ conversationId, userId }) {
      const iat = Math.floor(now().getTime() / 1000);
      const token = await new SignJWT({ conv: conversationId, user: userId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(iat + TOKEN_TTL_SECONDS)
        .sign(await hmacKey());
      return { token, expires_in: TOKEN_TTL_SECONDS };
    },
    async verify(token) {
      if (!token) throw dlErrors.missingToken();
      const seconds = Math.floor(now().getTime() / 1000);
      const known = verified.get(token, seconds);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, await hmacKey(), {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: now(),
          requiredClaims: ['exp', 'iat'],
          maxTokenAge: TOKEN_TTL_SECONDS,
        });
        if (typeof payload.conv !== 'string' || typeof payload.user !== 'string') throw dlErrors.badToken();
        // Whoever signed a longer-lived token did not get it from issue().
        const exp = payload.exp as number;
        if (exp - (payload.iat as number) > TOKEN_TTL_SECONDS) throw dlErrors.badToken();
        const claims = { conversationId: payload.conv, userId: payload.user, expiresAt: exp * 1000 };
        // jose's own clock rules: expired at exp, not valid before iat.
        verified.remember(token, claims, { from: payload.iat as number, until: exp });
        return claims;
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) throw dlErrors.badToken();
        throw err;
      }
    },
  };
}

export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
