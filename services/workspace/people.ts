import { isOpen } from '../routing/index.js';
import type { Agent, Role } from '../domain/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export interface PersonView {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  presence: Agent['presence'];
  presenceLabel?: string;
  queues: Array<{ id: string; name: string }>;
}

export interface QueueView {
  id: string;
  name: string;
  /** The first work stream the queue serves (most serve one). */
  workstreamId?: string;
  workstreamIds: string[];
  /** Inside operating hours right now. */
  open: boolean;
  /** The caller belongs to it. */
  member: boolean;
}

const MAX_PEOPLE = 1000;

/** Who an agent can consult or transfer to, and the queues they can transfer into. */
export function createPeople({ repos, deps }: WorkspacePorts, access: WorkspaceAccess) {
  return {
    /** Agents and supervisors other than the caller, by name or e-mail, available ones first. */
    async list(actor: Actor, filter: { q?: string; role?: Role } = {}): Promise<PersonView[]> {
      await access.who(actor);
      const [agents, queues] = await Promise.all([
        repos.agents.find(filter.role ? { role: filter.role } : {}, { limit: MAX_PEOPLE }),
        repos.queues.list({ limit: MAX_PEOPLE }),
      ]);
      const queueNames = new Map(queues.map((q) => [q.id, q.name]));
      const words = (filter.q ?? '').toLowerCase().split(/\s+/u).filter(Boolean);
      return (
        agents
          .filter((a) => a.id !== actor.agentId)
          // An administrator who takes no chats (no agent or supervisor role) is nobody to consult.
          .filter((a) => filter.role === 'admin' || a.roles.some((r) => r === 'agent' || r === 'supervisor'))
          .filter((a) => words.every((w) => `${a.name} ${a.email}`.toLowerCase().includes(w)))
          .sort(
            (a, b) =>
              Number(b.presence === 'available') - Number(a.presence === 'available') ||
              a.name.localeCompare(b.name),
          )
          .map((a) => ({
            id: a.id,
            name: a.name,
            email: a.email,
            roles: a.roles,
            presence: a.presence,
            ...(a.presenceLabel ? { presenceLabel: a.presenceLabel } : {}),
            queues: a.queueIds.map((id) => ({ id, name: queueNames.get(id) ?? id })),
          }))
      );
    },

    async queues(actor: Actor): Promise<QueueView[]> {
      const { agent } = await access.who(actor);
      const queues = await repos.queues.list({ limit: MAX_PEOPLE });
      const now = deps.now();
      return queues
        .map((q) => ({
          id: q.id,
          name: q.name,
          ...(q.workstreamIds[0] ? { workstreamId: q.workstreamIds[0] } : {}),
          workstreamIds: q.workstreamIds,
          open: isOpen(q.operatingHours, now),
          member: agent.queueIds.includes(q.id),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
