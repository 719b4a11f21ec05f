import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
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

/** Verified tokens remembered (a client presents the same one on every request until it refreshes). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * HS256 tokens carrying the conversation id (and, like Azure's, the user id under `user`, which the
 * official client reads). The key is generated once and kept in the store (keys.ts), so tokens and
 * reconnects survive a server restart; every instance on one MongoDB shares it.
 *
 * Every customer request presents its token, so verification sits on the message path: the HMAC
 * key is imported once (not per call), and a token that verified is remembered by its exact text
 * with its issue and expiry times — the same string verifies the same way until it expires, and
 * only the clock checks are repeated. Revocation is not the token's business: a conversation that
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
  const verified = new Map<string, { claims: VerifiedToken; iat: number }>();
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
      const known = verified.get(token);
      if (known) {
        // jose's own clock rules: expired at exp, not valid before iat.
        if (seconds < known.claims.expiresAt / 1000 && known.iat <= seconds) return { ...known.claims };
        verified.delete(token);
      }
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
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
        verified.set(token, { claims, iat: payload.iat as number });
        return { ...claims };
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
