import type { Collection } from '../store/index.js';
import { createDevSessions, loadSessionSecret } from './dev-session.js';
import { createIdentity, type AgentLookup, type AuthMode, type Identity } from './identity.js';
import { createSsoVerifier, type SsoVerifierOptions } from './teams-sso.js';

export interface IdentitySettings {
  mode: AuthMode;
  /** TAB_SSO_CLIENT_ID (Teams mode). */
  clientId?: string;
  /** MicrosoftAppTenantId: single-tenant installs accept only their tenant. */
  tenantId?: string;
  publicUrl: string;
}

/** Tests: a local key set and issuer stand in for Entra's so the real validation runs. */
export type IdentityOverrides = Pick<SsoVerifierOptions, 'jwksUrl' | 'issuersFor'>;

/** Builds the identity for the configured mode; dev mode loads (or makes) the installation's secret. */
export async function openIdentity(
  settings: IdentitySettings,
  ports: {
    agents: AgentLookup;
    secrets: Collection<{ id: string; value: string; createdAt: Date }>;
    now: () => Date;
  },
  overrides: IdentityOverrides = {},
): Promise<Identity> {
  if (settings.mode === 'dev') {
    const secret = await loadSessionSecret(ports.secrets, ports.now());
    return createIdentity({
      mode: 'dev',
      agents: ports.agents,
      sessions: createDevSessions(secret, ports.now),
    });
  }
  if (!settings.clientId) throw new Error('Teams mode needs TAB_SSO_CLIENT_ID');
  const sso = createSsoVerifier({
    clientId: settings.clientId,
    tenantId: settings.tenantId,
    publicHost: new URL(settings.publicUrl).host,
    ...overrides,
  });
  return createIdentity({ mode: 'teams', agents: ports.agents, sso });
}
