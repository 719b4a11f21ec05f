import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../domain/index.js';
import { VerifiedTokens } from './verified-tokens.js';

// Teams tab SSO (getAuthToken): an Entra ID access token for the tab's app registration. We check
// what Entra promises about it — the signature against the keys Entra publishes, the issuer (the
// tenant that signed the user in), the audience (our app), the expiry — and read the object id.

/** Where Entra publishes its signing keys (the same set for every tenant). */
export const ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

/** Entra's v2 and v1 issuers for a tenant; a token names its tenant in `tid`. */
export function entraIssuers(tenantId: string): string[] {
  return [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

export interface SsoVerifierOptions {
  /** The tab's app registration (TAB_SSO_CLIENT_ID). */
  clientId: string;
  /** Single-tenant installs accept only their own tenant; absent = any tenant (multi-tenant app). */
  tenantId?: string;
  /** The public host, for v1 tokens whose audience is the Application ID URI `api://host/clientId`. */
  publicHost?: string;
  /** Tests: a local key set instead of Entra's. */
  jwksUrl?: string;
  /** Tests: a local issuer for a tenant instead of Entra's. */
  issuersFor?: (tenantId: string) => string[];
  /** Clock skew tolerated on `exp`/`nbf`, seconds. */
  clockToleranceSeconds?: number;
}

export interface SsoIdentity {
  objectId: string;
  tenantId: string;
  name?: string;
  email?: string;
  /** When the token stops being accepted (its `exp` and the clock tolerance). */
  expiresAt: Date;
}

export type SsoVerifier = (token: string) => Promise<SsoIdentity>;

export class InvalidTokenError extends DomainError {
  constructor(reason: string) {
    super('auth.invalid_token', `The sign-in token was refused: ${reason}`, 'unauthorized');
  }
}

/**
 * Entra's key set could not be fetched (unreachable, timed out, not a key set): the token may be
 * fine, so this is the server's trouble, not the caller's; a client retries later rather than
 * asking for a new token.
 */
export class SigningKeysUnavailableError extends DomainError {
  readonly retryAfterSeconds = 30;
  constructor() {
    super(
      'auth.unavailable',
      "Sign-in cannot be checked right now: Entra ID's signing keys could not be fetched; try again shortly",
      'unavailable',
    );
  }
}

export function createSsoVerifier(options: SsoVerifierOptions): SsoVerifier {
  // jose caches the key set and refetches it when a token names a key it has not seen (key rollover).
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUrl ?? ENTRA_JWKS_URL));
  const issuersFor = options.issuersFor ?? entraIssuers;
  const audience = [options.clientId];
  if (options.publicHost) audience.push(`api://${options.publicHost}/${options.clientId}`);
  const tolerance = options.clockToleranceSeconds ?? 60;
  const verified = new VerifiedTokens<SsoIdentity>();

  return async (token) => {
    const known = verified.get(token, Date.now() / 1000);
    if (known) return known;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        audience,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iss', 'tid', 'oid'],
        clockTolerance: tolerance,
      }));
    } catch (e) {
      if (keySetUnreadable(e)) throw new SigningKeysUnavailableError();
      throw new InvalidTokenError(describeJoseError(e));
    }
    const tid = String(payload.tid);
    if (options.tenantId && tid !== options.tenantId) {
      throw new InvalidTokenError(`it was issued for tenant ${tid}, not this installation's tenant`);
    }
    // The issuer must be the one Entra uses for the tenant the token names; a token from some
    // other issuer carrying a copied tid is refused.
    if (!issuersFor(tid).includes(String(payload.iss))) {
      throw new InvalidTokenError(`issuer ${String(payload.iss)} is not the tenant's`);
    }
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
    const who: SsoIdentity = {
      objectId: String(payload.oid),
      tenantId: tid,
      name: str(payload.name),
      email: str(payload.preferred_username) ?? str(payload.upn) ?? str(payload.email),
      expiresAt: new Date((payload.exp! + tolerance) * 1000),
    };
    // jose's clock rules with the tolerance: expired once exp + tolerance has passed, not valid
    // before nbf − tolerance.
    verified.remember(token, who, {
      from: payload.nbf === undefined ? -Infinity : payload.nbf - tolerance,
      until: payload.exp! + tolerance,
    });
    return who;
  };
}

/**
 * jose reports a token it refuses with its own error classes; a failed fetch of the key set comes
 * through as the fetch's own error, a timeout, or a generic error about the key set's response.
 */
function keySetUnreadable(e: unknown): boolean {
  if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid) return true;
  if (!(e instanceof joseErrors.JOSEError)) return true;
  return e.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set HTTP response/u.test(e.message);
}

function describeJoseError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'it has expired';
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return 'it was issued for another application (audience)';
    if (e.claim === 'nbf') return 'it is not valid yet';
    return `claim ${e.claim} is wrong or missing`;
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'it was signed by a key the tenant does not publish';
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return 'it uses an algorithm we do not accept';
  if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JOSEError) {
    if (e instanceof joseErrors.JWSInvalid || e instanceof joseErrors.JWTInvalid) return 'it is malformed';
    return e.message;
  }
  return 'it could not be read';
}
