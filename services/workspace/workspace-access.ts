import {
  AccessDeniedError,
  ConflictError,
  DomainError,
  NotFoundError,
  canRead,
  canWrite,
  type Agent,
  type Case,
  type Conversation,
  type Customer,
  type Viewer,
  isEnded,
  STATUS_IN_WORDS,
} from '../domain/index.js';
import type { Actor, WorkspaceRecords } from './ports.js';

/** What a caller needs to be allowed to do with a conversation. */
export type ConversationNeed = 'read' | 'write-internal' | 'write-public';

export interface Allowed {
  agent: Agent;
  viewer: Viewer;
}

/** How many of a customer's conversations are checked for a relation (newest first). */
const CUSTOMER_CONVERSATIONS_CHECKED = 200;

function allows(viewer: Viewer, c: Conversation, need: ConversationNeed): boolean {
  if (need === 'read') return canRead(viewer, c);
  return canWrite(viewer, c, need === 'write-public' ? 'public' : 'internal');
}

function deniedFor(entity: 'customer' | 'case', what: string, id: string): DomainError {
  return new DomainError('access.denied', `You may not ${what} this ${entity}`, 'forbidden', {
    [`${entity}Id`]: id,
  });
}

/**
 * A closed conversation is the record of what happened: a macro or a case link may not rewrite its
 * disposition or case afterwards (its wrap-up is refused the same way). Notes may still be added.
 */
export function assertNotEnded(c: Conversation, what: string): void {
  if (!isEnded(c.status)) return;
  const until = c.status === 'closed' ? '; reopen it first' : '';
  throw new ConflictError(
    'conversation.not_active',
    `This conversation is ${STATUS_IN_WORDS[c.status]}: you cannot ${what} it${until}`,
    { conversationId: c.id, status: c.status },
  );
}

/**
 * The one access rule of `domain/access.ts` applied to what the workspace shows: a conversation's
 * data to those related to it; a customer's (and their cases') data only to those who may read one
 * of the customer's conversations. A missing thing is a 404; an existing one refused is a 403 naming it.
 */
export function createWorkspaceAccess(repos: WorkspaceRecords) {
  async function who(actor: Actor): Promise<Allowed> {
    const agent = await repos.agents.get(actor.agentId);
    // The token named someone the store no longer knows: nothing is theirs to see.
    if (!agent)
      throw new DomainError('access.unknown_agent', `Agent ${actor.agentId} is not known`, 'forbidden');
    return { agent, viewer: { agentId: agent.id, roles: agent.roles, queueIds: agent.queueIds } };
  }

  async function conversation(
    actor: Actor,
    conversationId: string,
    need: ConversationNeed,
    what: string,
  ): Promise<Allowed & { conversation: Conversation }> {
    const allowed = await who(actor);
    const c = await repos.conversations.get(conversationId);
    if (!c) throw new NotFoundError('conversation.not_found', 'No such conversation', { conversationId });
    if (!allows(allowed.viewer, c, need)) throw new AccessDeniedError(what, conversationId);
    return { ...allowed, conversation: c };
  }

  async function customerAllowed(
    viewer: Viewer,
    customerId: string,
    need: 'read' | 'write',
  ): Promise<boolean> {
    if (viewer.roles.includes('admin')) return true;
    const theirs = await repos.conversations.findByCustomer(customerId, {
      limit: CUSTOMER_CONVERSATIONS_CHECKED,
    });
    return theirs.some((c) => (need === 'read' ? canRead(viewer, c) : allows(viewer, c, 'write-internal')));
  }

  async function customer(
    actor: Actor,
    customerId: string,
    need: 'read' | 'write',
    what: string,
  ): Promise<Allowed & { customer: Customer }> {
    const allowed = await who(actor);
    const found = await repos.customers.get(customerId);
    if (!found) throw new NotFoundError('customer.not_found', `Customer ${customerId} does not exist`);
    if (!(await customerAllowed(allowed.viewer, customerId, need)))
      throw deniedFor('customer', what, customerId);
    return { ...allowed, customer: found };
  }

  /** A case is read by those who may read one of its conversations or its customer. */
  async function mayReadCase(viewer: Viewer, found: Case): Promise<boolean> {
    const linked = await Promise.all(
      found.conversationIds.slice(-CUSTOMER_CONVERSATIONS_CHECKED).map((id) => repos.conversations.get(id)),
    );
    if (linked.some((c) => c !== null && canRead(viewer, c))) return true;
    return customerAllowed(viewer, found.customerId, 'read');
  }

  async function caseOf(actor: Actor, caseId: string, what: string): Promise<Allowed & { case: Case }> {
    const allowed = await who(actor);
    const found = await repos.cases.get(caseId);
    if (!found) throw new NotFoundError('case.not_found', `Case ${caseId} does not exist`);
    if (!(await mayReadCase(allowed.viewer, found))) throw deniedFor('case', what, caseId);
    return { ...allowed, case: found };
  }

  /** Of these cases, those the viewer may open (`GET /cases/:id`); a missing one is not. */
  async function openableCases(viewer: Viewer, caseIds: readonly string[]): Promise<ReadonlySet<string>> {
    const checked = await Promise.all(
      caseIds.map(async (id) => {
        const found = await repos.cases.get(id);
        return found && (await mayReadCase(viewer, found)) ? [id] : [];
      }),
    );
    return new Set(checked.flat());
  }

  return { who, conversation, customer, case: caseOf, openableCases };
}

export type WorkspaceAccess = ReturnType<typeof createWorkspaceAccess>;
