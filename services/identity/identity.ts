import { DomainError, NotFoundError, type Agent, type Role } from '../domain/index.js';
import type { DevSessions } from './dev-session.js';
import type { SsoVerifier } from './teams-sso.js';

// Who is calling the agent API: the bearer token resolved to an agent of this installation.

export type AuthMode = 'teams' | 'dev';

/** The signed-in user as the API sees them (the agent API's `Caller`). */
export interface SignedIn {
  agentId: string;
  name: string;
  roles: Role[];
  /** The agent's record as authentication read it: a request's handler need not read it again. */
  agent: Agent;
  /** When the token stops being accepted: a live stream opened with it closes then. */
  expiresAt: Date;
}

export interface AgentLookup {
  get(id: string): Promise<Agent | null>;
  getByAadObjectId(aadObjectId: string): Promise<Agent | null>;
}

export interface Identity {
  readonly mode: AuthMode;
  /** Resolves a bearer token; 401 when missing or invalid, 403 when valid but not an agent here. */
  authenticate(token: string | undefined): Promise<SignedIn>;
  /** Dev mode only: a session token for the chosen agent. */
  signIn(agentId: string): Promise<{ token: string; agent: Agent }>;
}

export class MissingTokenError extends DomainError {
  constructor() {
    super(
      'auth.missing_token',
      'Sign in first: send the token as "Authorization: Bearer <token>"',
      'unauthorized',
    );
  }
}

export function createIdentity(
  options:
    | { mode: 'teams'; agents: AgentLookup; sso: SsoVerifier }
    | { mode: 'dev'; agents: AgentLookup; sessions: DevSessions },
): Identity {
  const { agents } = options;
  const signedIn = (a: Agent, expiresAt: Date): SignedIn => ({
    agentId: a.id,
    name: a.name,
    roles: [...a.roles],
    agent: a,
    expiresAt,
  });

  return {
    mode: options.mode,
    async authenticate(token) {
      if (!token) throw new MissingTokenError();
      if (options.mode === 'dev') {
        const { agentId, expiresAt } = await options.sessions.session(token);
        const agent = await agents.get(agentId);
        // The agent was removed after signing in: the session no longer names anyone.
        if (!agent)
          throw new DomainError('auth.unknown_agent', `Agent ${agentId} no longer exists`, 'unauthorized');
        return signedIn(agent, expiresAt);
      }
      const who = await options.sso(token);
      const agent = await agents.getByAadObjectId(who.objectId);
      if (!agent) {
        throw new DomainError(
          'auth.not_an_agent',
          `${who.email ?? who.objectId} is signed in to Microsoft 365 but is not set up as a Switchboard agent`,
          'forbidden',
        );
      }
      return signedIn(agent, who.expiresAt);
    },
    async signIn(agentId) {
      if (options.mode !== 'dev')
        throw new NotFoundError('auth.dev_sign_in_off', 'Dev sign-in is off in Teams mode');
      const agent = await agents.get(agentId);
      if (!agent) throw new NotFoundError('agent.not_found', `Agent ${agentId} does not exist`);
      return { token: await options.sessions.issue(agent.id), agent };
    },
  };
}

/** The bearer token of an Authorization header, if it carries one. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}
