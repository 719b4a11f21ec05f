import { summarizeCase, type CaseSummary } from '../assist/index.js';
import {
  assertCaseStep,
  caseChangeDenied,
  caseStepFields,
  editedCaseFields,
  mayChangeCase,
  requiredCaseText,
  withCaseHistory,
  type CaseEdit,
  type CaseStep,
} from '../domain/case-rules.js';
import {
  canRead,
  ConflictError,
  maskCardNumbers,
  ValidationError,
  type Case,
  type CaseHistoryEntry,
  type CasePriority,
  type CaseType,
  type Conversation,
} from '../domain/index.js';
import { refuseIfErased } from '../privacy/index.js';
import { changeConversation } from './conversation-writes.js';
import type { Actor, WorkspacePorts } from './ports.js';
import { assertNotEnded, type WorkspaceAccess } from './workspace-access.js';

export type CaseLink =
  { caseId: string } | { title: string; description?: string; type?: CaseType; priority?: CasePriority };

export interface CaseView extends Case {
  customerName: string;
  ownerName?: string;
  createdByName?: string;
  modifiedByName?: string;
  /** The history, newest first, each change with its agent's name. */
  history: Array<CaseHistoryEntry & { agentName: string }>;
}

/** What an agent may change on a case (`type` as when the case is opened). */
export type CaseChanges = Partial<Pick<Case, 'title' | 'description' | 'priority' | 'product'>> & {
  type?: CaseType;
};

export interface CaseSummaryView extends CaseSummary {
  caseId: string;
  number: string;
  status: Case['status'];
  /** The summary as one paragraph, for the case pane. */
  text: string;
}

/** How many messages of a case's latest conversations feed its summary. */
const SUMMARY_MESSAGES = 200;

/** How many times a change is tried against a case others keep changing before saying so. */
const CHANGE_ATTEMPTS = 5;

/** Cases from the agent's side: link one to a conversation, open a new one from it, read one. */
export function createCases(
  ports: WorkspacePorts,
  access: WorkspaceAccess,
  hooks: { onCaseOpened?: (c: Case) => void } = {},
) {
  const { repos } = ports;

  async function messagesOf(conversationIds: readonly string[]) {
    const lists = await Promise.all(conversationIds.map((id) => repos.messages.list(id)));
    return lists.flat().slice(-SUMMARY_MESSAGES);
  }

  /**
   * `change` applied to the case as `read` gives it, read and checked again when someone else
   * changed it meanwhile: two agents resolving and editing at once each see the other's change, and
   * neither history entry is lost.
   */
  async function changeCase(
    read: () => Promise<Case>,
    change: (c: Case) => Parameters<typeof repos.cases.update>[1] | null,
  ): Promise<Case> {
    for (let attempt = 1; ; attempt++) {
      const c = await read();
      const patch = change(c);
      if (patch === null) return c;
      const updated = await repos.cases.updateUnlessChanged(c, patch);
      if (updated) return updated;
      if (attempt === CHANGE_ATTEMPTS) {
        throw new ConflictError('case.busy', `Case ${c.number} is being changed by someone else: try again`, {
          caseId: c.id,
        });
      }
    }
  }

  /**
   * Makes `c` the conversation's current case (the conversation was already checked), and says so
   * in the case's history and, as an internal line, in the conversation.
   */
  async function attach(
    conversation: Conversation,
    c: Case,
    agentId: string | undefined,
    how: 'opened' | 'linked',
  ): Promise<Case> {
    if (conversation.caseId === c.id) return c;
    let linked = await repos.cases.linkConversation(c.id, conversation.id);
    await changeConversation(repos, conversation.id, () => ({ caseId: c.id }));
    if (agentId === undefined) return linked;
    if (how === 'linked') {
      const entry = {
        at: ports.deps.now(),
        agentId,
        action: 'linked',
        conversationId: conversation.id,
      } as const;
      linked = await changeCase(
        () => repos.cases.require(c.id),
        (now) => ({ history: withCaseHistory(now, entry), modifiedBy: agentId }),
      );
    }
    // The line is the agent's own; one not in the conversation (a supervisor who has not joined)
    // cannot write in it, and the case's history still names them.
    const inIt =
      conversation.agentId === agentId ||
      conversation.participants.some((p) => p.agentId === agentId && !p.leftAt);
    if (inIt) {
      const verb = how === 'opened' ? 'Opened' : 'Linked';
      await ports.conversations.postAgentMessage(
        conversation.id,
        agentId,
        `${verb} case ${c.number}: ${c.title}`,
        'internal',
      );
    }
    return linked;
  }

  async function view(c: Case): Promise<CaseView> {
    const history = c.history ?? [];
    const agentIds = [
      ...new Set([c.ownerId, c.createdBy, c.modifiedBy, ...history.map((h) => h.agentId)]),
    ].filter((id): id is string => id !== undefined);
    const [customer, agents] = await Promise.all([
      repos.customers.get(c.customerId),
      repos.agents.getMany(agentIds),
    ]);
    const names = new Map(agents.map((a) => [a.id, a.name]));
    const nameOf = (id: string | undefined) => (id === undefined ? undefined : (names.get(id) ?? id));
    return {
      ...c,
      customerName: customer?.name ?? c.customerId,
      ...(c.ownerId ? { ownerName: nameOf(c.ownerId) } : {}),
      ...(c.createdBy ? { createdByName: nameOf(c.createdBy) } : {}),
      ...(c.modifiedBy ? { modifiedByName: nameOf(c.modifiedBy) } : {}),
      history: history.map((h) => ({ ...h, agentName: nameOf(h.agentId)! })).reverse(),
    };
  }

  /** A new case's fields that say who opened it and how. */
  function openedBy(agentId: string, conversationId: string) {
    const entry = { at: ports.deps.now(), agentId, action: 'opened', conversationId } as const;
    return { createdBy: agentId, ownerId: agentId, modifiedBy: agentId, history: [entry] };
  }

  /** The case, once `step` is allowed to the actor on it as it is now. */
  async function changeable(actor: Actor, caseId: string, step: CaseStep): Promise<Case> {
    const { case: c, viewer } = await access.case(actor, caseId, step);
    // What the erase took must not come back through the case it left.
    refuseIfErased(await repos.customers.get(c.customerId), `${step} case ${c.number}`, {
      customerId: c.customerId,
    });
    const linked = await Promise.all(c.conversationIds.map((id) => repos.conversations.get(id)));
    if (
      !mayChangeCase(
        viewer,
        linked.filter((k): k is Conversation => k !== null),
      )
    ) {
      throw caseChangeDenied(c, step);
    }
    assertCaseStep(c, step);
    return c;
  }

  async function step(
    actor: Actor,
    caseId: string,
    which: 'resolve' | 'cancel' | 'reactivate',
    typed?: string,
  ): Promise<CaseView> {
    const { agentId } = actor;
    const text = which === 'reactivate' ? undefined : maskCardNumbers(requiredCaseText(typed ?? '', which));
    const changed = await changeCase(
      () => changeable(actor, caseId, which),
      (c) => {
        const at = ports.deps.now();
        const entry: CaseHistoryEntry =
          which === 'reactivate'
            ? { at, agentId, action: 'reactivated' }
            : { at, agentId, action: which === 'resolve' ? 'resolved' : 'cancelled', text: text! };
        return { ...caseStepFields(which, text), modifiedBy: agentId, history: withCaseHistory(c, entry) };
      },
    );
    return view(changed);
  }

  /**
   * Links an existing case of the same customer, or opens a new one for the customer with the
   * conversation linked. A new case left without a description gets the conversation's summary, so
   * whoever picks the case up later knows what happened.
   */
  async function link(actor: Actor, conversationId: string, input: CaseLink): Promise<CaseView> {
    const { conversation } = await access.conversation(
      actor,
      conversationId,
      'write-internal',
      'link a case to',
    );
    assertNotEnded(conversation, 'link a case to');
    if ('caseId' in input) {
      const existing = await repos.cases.require(input.caseId);
      if (existing.customerId !== conversation.customerId) {
        throw new ValidationError(
          'case.other_customer',
          `Case ${existing.number} belongs to another customer than conversation ${conversationId}`,
        );
      }
      return view(await attach(conversation, existing, actor.agentId, 'linked'));
    }
    const messages = await messagesOf([conversationId]);
    const customer = await repos.customers.require(conversation.customerId);
    const drafted = summarizeCase({ messages, customer });
    const created = await repos.cases.create({
      customerId: conversation.customerId,
      // What the agent typed is stored as chats are: card numbers masked.
      title: maskCardNumbers(input.title),
      description: maskCardNumbers(input.description?.trim() || drafted.description),
      caseType: input.type ?? drafted.caseType,
      priority: input.priority ?? drafted.priority,
      product: drafted.product,
      subject: drafted.subject,
      conversationIds: [conversationId],
      ...openedBy(actor.agentId, conversationId),
    });
    hooks.onCaseOpened?.(created);
    return view(await attach(conversation, created, actor.agentId, 'opened'));
  }

  return {
    link,

    /**
     * Opens a case for a macro: the conversation's current case is reused rather than duplicated.
     * `by`, the agent running the macro, opens and owns it; without it the case names nobody.
     */
    async openForMacro(
      conversation: Conversation,
      input: { title: string; caseType: CaseType; priority: CasePriority },
      by?: string,
    ): Promise<{ case: Case; created: boolean }> {
      if (conversation.caseId) {
        const current = await repos.cases.get(conversation.caseId);
        if (current) return { case: current, created: false };
      }
      const messages = await messagesOf([conversation.id]);
      const customer = await repos.customers.require(conversation.customerId);
      const drafted = summarizeCase({ messages, customer });
      const created = await repos.cases.create({
        customerId: conversation.customerId,
        title: maskCardNumbers(input.title),
        caseType: input.caseType,
        priority: input.priority,
        description: drafted.description,
        product: drafted.product,
        subject: drafted.subject,
        conversationIds: [conversation.id],
        ...(by ? openedBy(by, conversation.id) : {}),
      });
      hooks.onCaseOpened?.(created);
      return { case: await attach(conversation, created, by, 'opened'), created: true };
    },

    /** Changes the case's title, description, priority, type or product; the history names them. */
    async edit(actor: Actor, caseId: string, changes: CaseChanges): Promise<CaseView> {
      const { type, ...rest } = changes;
      const edit: CaseEdit = { ...rest, ...(type ? { caseType: type } : {}) };
      // What the agent typed is stored as chats are: card numbers masked.
      if (edit.title !== undefined) edit.title = maskCardNumbers(edit.title);
      if (edit.description !== undefined) edit.description = maskCardNumbers(edit.description);
      const changed = await changeCase(
        () => changeable(actor, caseId, 'edit'),
        (c) => {
          const fields = editedCaseFields(c, edit);
          if (fields.length === 0) return null;
          const entry = { at: ports.deps.now(), agentId: actor.agentId, action: 'edited', fields } as const;
          const patch = Object.fromEntries(fields.map((f) => [f, edit[f]]));
          return { ...patch, modifiedBy: actor.agentId, history: withCaseHistory(c, entry) };
        },
      );
      return view(changed);
    },

    /** Resolves an active case with how it was resolved. */
    resolve: (actor: Actor, caseId: string, resolution: string) => step(actor, caseId, 'resolve', resolution),

    /** Cancels an active case, saying why. */
    cancel: (actor: Actor, caseId: string, reason: string) => step(actor, caseId, 'cancel', reason),

    /** Makes a resolved or cancelled case active again, to be worked on. */
    reactivate: (actor: Actor, caseId: string) => step(actor, caseId, 'reactivate'),

    async get(actor: Actor, caseId: string): Promise<CaseView> {
      const { case: c } = await access.case(actor, caseId, 'read');
      return view(c);
    },

    /** The case's fields as the conversations behind it tell them (the case's own fields win). */
    async summary(actor: Actor, caseId: string): Promise<CaseSummaryView> {
      const { case: c, viewer } = await access.case(actor, caseId, 'read the summary of');
      const customer = await repos.customers.get(c.customerId);
      // Told from the latest conversations the caller may read: a case shared across queues does
      // not retell what was said in another queue's chat.
      const latest = await Promise.all(c.conversationIds.slice(-3).map((id) => repos.conversations.get(id)));
      const messages = await messagesOf(
        latest.filter((k): k is Conversation => k !== null && canRead(viewer, k)).map((k) => k.id),
      );
      const s = summarizeCase({
        messages,
        customer: customer ?? { name: c.customerId },
        existingCase: c,
      });
      const text = `${c.number} · ${s.title} (${c.status}, ${s.priority} priority). ${s.description}`.trim();
      return { ...s, caseId: c.id, number: c.number, status: c.status, text };
    },
  };
}

export type CaseService = ReturnType<typeof createCases>;

/** Thrown by callers that need a current case and the conversation has none. */
export function noCurrentCase(conversationId: string): ConflictError {
  return new ConflictError('case.none_linked', 'This conversation has no case linked yet', {
    conversationId,
  });
}
