import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';
import { ChannelError } from '../http.js';

/**
 * Signed-in chat: a site's server signs a token for its signed-in customer — HS256 with the
 * `CHAT_AUTH_SECRET` both share, or with its own private key whose public half it publishes at
 * `CHAT_AUTH_JWKS_URL` (RS256, ES256, PS256) — the widget hands it over when a chat starts, and the
 * chat is that customer's, verified. A page's own say-so (`data-authenticated`) never is: anyone
 * can script it.
 */

/** Signatures taken with the site's published keys: the asymmetric ones Entra, Auth0 and others use. */
const PUBLIC_KEY_ALGORITHMS = ['RS256', 'ES256', 'PS256'];
/** How long the site's keys may take to come, and how often an unknown key id sends us to fetch again. */
const JWKS_TIMEOUT_MS = 5_000;
const JWKS_COOLDOWN_MS = 30_000;

/** The audience a token must name, so a token the site signed for something else is not taken. */
export const CHAT_AUTH_AUDIENCE = 'switchboard-chat';

/** Tokens are for starting a chat now: one valid for longer is a credential lying around. */
const MAX_TTL_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 30;

/** Who the site says its signed-in customer is: its own id for them, and how it knows them. */
export interface VerifiedCustomer {
  id: string;
  name?: string;
  email?: string;
}

export const signInErrors = {
  notConfigured: () =>
    new ChannelError(
      400,
      'chat.auth_not_configured',
      'This server takes no signed-in chats (neither CHAT_AUTH_SECRET nor CHAT_AUTH_JWKS_URL is set): start the chat without a token',
    ),
  invalid: (why: string) =>
    new ChannelError(401, 'chat.auth_invalid', `The sign-in token was refused: ${why}`),
};

export function createSignedInCustomers(keys: { secret?: string; jwksUrl?: string }, now: () => Date) {
  const secret = keys.secret ? new TextEncoder().encode(keys.secret) : undefined;
  const published = keys.jwksUrl
    ? createRemoteJWKSet(new URL(keys.jwksUrl), {
        timeoutDuration: JWKS_TIMEOUT_MS,
        cooldownDuration: JWKS_COOLDOWN_MS,
      })
    : undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(published ? PUBLIC_KEY_ALGORITHMS : [])];
  // The token's own header says which: the shared secret for HS256, the site's keys for the others.
  const keyFor: JWTVerifyGetKey = async (header: JWTHeaderParameters, token) =>
    header.alg === 'HS256' ? secret! : published!(header, token);
  return {
    /** The customer a token names, if it is the site's, for this, and fresh; throws 400/401 otherwise. */
    async verify(token: string): Promise<VerifiedCustomer> {
      if (algorithms.length === 0) throw signInErrors.notConfigured();
      if (token.length > 8192) throw signInErrors.invalid('it is too long');
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keyFor, {
          algorithms,
          audience: CHAT_AUTH_AUDIENCE,
          requiredClaims: ['sub', 'exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now(),
        }));
      } catch (err) {
        throw signInErrors.invalid(reasonOf(err, algorithms));
      }
      const seconds = now().getTime() / 1000;
      if (payload.exp! - seconds > MAX_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS)
        throw signInErrors.invalid('it is valid for more than an hour');
      const id = payload.sub!;
      if (id.length === 0 || id.length > 256) throw signInErrors.invalid('"sub" must be 1–256 characters');
      const name = text(payload.name, 200);
      const email = text(payload.email, 320);
      if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email))
        throw signInErrors.invalid('"email" is not an e-mail address');
      return { id, ...(name ? { name } : {}), ...(email ? { email } : {}) };
    },
  };
}

export type SignedInCustomers = ReturnType<typeof createSignedInCustomers>;

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
}

/** Why jose refused a token, in words a site's developer can act on. */
function reasonOf(err: unknown, algorithms: string[]): string {
  if (err instanceof joseErrors.JWTExpired) return 'it has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return `"aud" must be "${CHAT_AUTH_AUDIENCE}"`;
    return `its "${err.claim}" claim is missing or wrong`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'its signature does not match CHAT_AUTH_SECRET or the keys at CHAT_AUTH_JWKS_URL';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return `it must be signed with ${algorithms.join(', ')}`;
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'no key at CHAT_AUTH_JWKS_URL has its "kid"';
  if (err instanceof joseErrors.JWKSMultipleMatchingKeys)
    return 'it names no "kid", and the site has several keys';
  if (
    err instanceof joseErrors.JWKSTimeout ||
    err instanceof joseErrors.JWKSInvalid ||
    err instanceof TypeError
  )
    return "the site's keys could not be read from CHAT_AUTH_JWKS_URL";
  return 'it is not a signed token (JWT)';
}
