import { summarizeCase, type CaseSummary } from '../assist/index.js';
import {
  canRead,
  ConflictError,
  maskCardNumbers,
  ValidationError,
  type Case,
  type CasePriority,
  type CaseType,
  type Conversation,
} from '../domain/index.js';
import { changeConversation } from './conversation-writes.js';
import type { Actor, WorkspacePorts } from './ports.js';
import { assertNotEnded, type WorkspaceAccess } from './workspace-access.js';

export type CaseLink =
  { caseId: string } | { title: string; description?: string; type?: CaseType; priority?: CasePriority };

export interface CaseView extends Case {
  customerName: string;
}

export interface CaseSummaryView extends CaseSummary {
  caseId: string;
  number: string;
  status: Case['status'];
  /** The summary as one paragraph, for the case pane. */
  text: string;
}

/** How many messages of a case's latest conversations feed its summary. */
const SUMMARY_MESSAGES = 200;

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

  /** Makes `c` the conversation's current case (the conversation was already checked). */
  async function attach(conversation: Conversation, c: Case): Promise<Case> {
    const linked = await repos.cases.linkConversation(c.id, conversation.id);
    await changeConversation(repos, conversation.id, () => ({ caseId: c.id }));
    return linked;
  }

  async function view(c: Case): Promise<CaseView> {
    const customer = await repos.customers.get(c.customerId);
    return { ...c, customerName: customer?.name ?? c.customerId };
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
      return view(await attach(conversation, existing));
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
    });
    hooks.onCaseOpened?.(created);
    return view(await attach(conversation, created));
  }

  return {
    link,

    /** Opens a case for a macro: the conversation's current case is reused rather than duplicated. */
    async openForMacro(
      conversation: Conversation,
      input: { title: string; caseType: CaseType; priority: CasePriority },
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
      });
      hooks.onCaseOpened?.(created);
      return { case: await attach(conversation, created), created: true };
    },

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
