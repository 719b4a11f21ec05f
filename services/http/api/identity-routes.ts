import { z } from 'zod';
import type { Agent, Queue } from '../../domain/index.js';
import type { Identity } from '../../identity/index.js';
import { defineRoute, type ApiRoute } from './route-definition.js';

// Local mode only: the sign-in picker and dev sign-in (docs/agent-api.md, "Identity and me").
// In Teams mode these routes are not mounted at all, so they answer 404. Teams mode has its own one
// public route instead: the app registration the tab's sign-in window asks Entra for consent to.

export interface AgentDirectory {
  listAgents(): Promise<Agent[]>;
  listQueues(): Promise<Queue[]>;
}

const role = z.enum(['agent', 'supervisor', 'admin']);
export const agentSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(role),
    queues: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .meta({ id: 'AgentSummary' });

function summary(agent: Agent, queues: Queue[]) {
  return {
    id: agent.id,
    name: agent.name,
    roles: agent.roles,
    queues: agent.queueIds.map((id) => ({ id, name: queues.find((q) => q.id === id)?.name ?? id })),
  };
}

export function devIdentityRoutes(identity: Identity, directory: AgentDirectory): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/agents',
      summary: 'Agents and supervisors to sign in as (local mode)',
      public: true,
      response: z.object({ items: z.array(agentSummarySchema) }),
      async handler() {
        const [agents, queues] = await Promise.all([directory.listAgents(), directory.listQueues()]);
        return { items: agents.map((a) => summary(a, queues)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/dev/sign-in',
      summary: 'Sign in as an agent or supervisor without Microsoft 365 (local mode)',
      public: true,
      body: z.object({ agentId: z.string().min(1).max(200) }),
      response: z.object({ token: z.string(), agent: agentSummarySchema }),
      async handler({ body }) {
        const { token, agent } = await identity.signIn(body.agentId);
        return { token, agent: summary(agent, await directory.listQueues()) };
      },
    }),
  ];
}

/**
 * Teams mode: the tab's Entra ID app registration (`TAB_SSO_CLIENT_ID`), which the tab's sign-in
 * window needs to ask Entra for a first-time user's consent. Not a secret: the Teams app package
 * and every token Teams issues for the tab carry it.
 */
export function teamsIdentityRoutes(clientId: string): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/sign-in/teams',
      summary: "The tab's Entra ID app registration, for its sign-in window (Teams mode)",
      public: true,
      response: z.object({ clientId: z.string() }),
      handler: async () => ({ clientId }),
    }),
  ];
}
