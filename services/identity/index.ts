// Identity: who is calling the agent API (Teams SSO or, in local mode, a dev session).
export {
  createIdentity,
  bearerToken,
  MissingTokenError,
  type AgentLookup,
  type AuthMode,
  type Identity,
  type SignedIn,
} from './identity.js';
export {
  createSsoVerifier,
  entraIssuers,
  ENTRA_JWKS_URL,
  InvalidTokenError,
  type SsoIdentity,
  type SsoVerifier,
  type SsoVerifierOptions,
} from './teams-sso.js';
export { createDevSessions, loadSessionSecret, DEV_SESSION_HOURS, type DevSessions } from './dev-session.js';
export { openIdentity, type IdentityOverrides, type IdentitySettings } from './open-identity.js';
export { VerifiedTokens } from './verified-tokens.js';
