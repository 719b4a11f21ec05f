import { randomBytes } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { DocumentStore } from '../../services/store/index.js';
import { dlErrors } from './errors.js';

/** Lifetime of a Direct Line token; clients refresh well before (every ~15 minutes). */
export const TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'switchboard-directline';

export interface TokenClaims {
  conversationId: string;
  userId: string;
}

export interface DirectLineTokens {
  issue(claims: TokenClaims): Promise<{ token: string; expires_in: number }>;
  /** Throws a 403 `HttpError` for a missing, forged or expired token. */
  verify(token: string | undefined): Promise<TokenClaims>;
}

interface SecretDoc {
  id: string;
  secret: string;
}

/**
 * HS256 tokens carrying the conversation id (and, like Azure's, the user id under `user`, which the
 * official client reads). The key is generated once and kept in the store, so tokens and reconnects
 * survive a server restart; every instance on one MongoDB shares it.
 */
export async function createDirectLineTokens(
  store: DocumentStore,
  now: () => Date,
): Promise<DirectLineTokens> {
  const col = store.collection<SecretDoc>('directline_keys');
  await col.updateOne(
    { id: 'token-secret' },
    { $setOnInsert: { secret: randomBytes(32).toString('base64') } },
    { upsert: true },
  );
  const doc = await col.findOne({ id: 'token-secret' });
  if (!doc) throw new Error('Direct Line token secret could not be stored');
  const key = new Uint8Array(Buffer.from(doc.secret, 'base64'));

  return {
    async issue({ conversationId, userId }) {
      const iat = Math.floor(now().getTime() / 1000);
      const token = await new SignJWT({ conv: conversationId, user: userId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(iat + TOKEN_TTL_SECONDS)
        .sign(key);
      return { token, expires_in: TOKEN_TTL_SECONDS };
    },
    async verify(token) {
      if (!token) throw dlErrors.missingToken();
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: now(),
        });
        if (typeof payload.conv !== 'string' || typeof payload.user !== 'string') throw dlErrors.badToken();
        return { conversationId: payload.conv, userId: payload.user };
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
