import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Collection } from '../store/index.js';
import { InvalidTokenError } from './teams-sso.js';
import { VerifiedTokens } from './verified-tokens.js';

// Local (dev) mode: a session token we sign ourselves with a secret made for this installation.
// The secret lives in the store so every instance sharing it accepts the same sessions; it never
// leaves the server.

const ISSUER = 'switchboard-dev';
const AUDIENCE = 'switchboard-api';
export const DEV_SESSION_HOURS = 12;

interface SecretDoc {
  id: string;
  value: string;
  createdAt: Date;
}

/** The installation's session secret: made once (atomically, whichever instance is first), then read. */
export async function loadSessionSecret(collection: Collection<SecretDoc>, now: Date): Promise<Uint8Array> {
  const candidate = randomBytes(32).toString('base64url');
  await collection.findOneAndUpdate(
    { id: 'dev-session' },
    { $setOnInsert: { value: candidate, createdAt: now } },
    { upsert: true },
  );
  const doc = await collection.findOne({ id: 'dev-session' });
  if (!doc) throw new Error('the dev session secret could not be stored');
  return new TextEncoder().encode(doc.value);
}

export interface DevSessions {
  issue(agentId: string): Promise<string>;
  /** The agent id the token was issued to. */
  verify(token: string): Promise<string>;
  /** The same, with when the session ends (a live stream closes then). */
  session(token: string): Promise<{ agentId: string; expiresAt: Date }>;
}

export function createDevSessions(secret: Uint8Array, now: () => Date): DevSessions {
  const verified = new VerifiedTokens<{ agentId: string; exp: number }>();
  const session = async (token: string) => {
    const seconds = Math.floor(now().getTime() / 1000);
    const known = verified.get(token, seconds);
    if (known) return { agentId: known.agentId, expiresAt: new Date(known.exp * 1000) };
    try {
      const { payload } = await jwtVerify(token, secret, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: now(),
      });
      if (!payload.sub) throw new InvalidTokenError('it names nobody');
      // jose's clock rules: expired at exp.
      verified.remember(
        token,
        { agentId: payload.sub, exp: payload.exp! },
        { from: -Infinity, until: payload.exp! },
      );
      return { agentId: payload.sub, expiresAt: new Date(payload.exp! * 1000) };
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the session has expired');
      throw new InvalidTokenError('it is not a session this server issued');
    }
  };
  return {
    issue: (agentId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(agentId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(now().getTime() / 1000))
        .setExpirationTime(Math.floor(now().getTime() / 1000) + DEV_SESSION_HOURS * 3600)
        .sign(secret),
    verify: async (token) => (await session(token)).agentId,
    session,
  };
}
