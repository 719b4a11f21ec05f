import type {
  Case,
  Conversation,
  ConversationContext,
  Customer,
  PortalNavigationEntry,
  VisitorDetails,
} from '../domain/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

const RECENT_CASES = 5;

export interface CustomerSummary {
  customer: Customer;
  /** The conversation being worked: where it came from and how long it waited. */
  conversation: {
    id: string;
    channel: string;
    status: Conversation['status'];
    workstreamId: string;
    workstreamName?: string;
    queueId?: string;
    queueName?: string;
    requiredSkills: string[];
    startedAt: Date;
    queuedAt?: Date;
    acceptedAt?: Date;
    /** Time in queue before an agent accepted (so far, while it still waits). */
    waitingSeconds: number;
  };
  /** Pre-chat answers with the question as the customer saw it. */
  preChat: Array<{ id: string; question: string; answer: string }>;
  portalNavigation: PortalNavigationEntry[];
  visitor: VisitorDetails;
  /** Custom context variables the host page or the bot set. */
  additionalContext: Array<{ key: string; value: string | number | boolean }>;
  recentCases: Case[];
  currentCase?: Case;
  /** The site's sign-in or Teams vouched for the customer in this chat. */
  verified: boolean;
  /** What tied this chat to its customer record (`CustomerMatch`). */
  matchedBy: CustomerMatch;
  /**
   * The record has history from before this chat (another conversation, a case not linked to this
   * one, a note written elsewhere): what an unverified chat must not be taken to own.
   */
  earlierHistory: boolean;
}

/**
 * `sign-in`: the site's signed token or Teams said who the customer is. `typed-details`: a guest's
 * name or e-mail typed in the pre-chat survey, on the browser's record or one it names. `channel`:
 * only the channel's id for the user (a guest's browser), which several people may share.
 */
export type CustomerMatch = 'sign-in' | 'typed-details' | 'channel';

/** What tied a chat to its customer, from its context; a guest's typed words never verify. */
export function customerMatch(context: Pick<ConversationContext, 'visitor' | 'preChat'>): CustomerMatch {
  if (context.visitor.verified) return 'sign-in';
  return context.preChat.name?.trim() || context.preChat.email?.trim() ? 'typed-details' : 'channel';
}

/** Whether the customer's record holds anything from before conversation `c`. */
async function hasEarlierHistory(repos: WorkspacePorts['repos'], c: Conversation, cases: Case[]) {
  if (cases.some((k) => k.id !== c.caseId)) return true;
  const conversations = await repos.conversations.findByCustomer(c.customerId, { limit: 2 });
  if (conversations.some((other) => other.id !== c.id)) return true;
  const notes = await repos.notes.listFor({ customerId: c.customerId });
  return notes.some((n) => n.conversationId !== c.id);
}

export function waitingSeconds(c: Conversation, now: Date): number {
  const from = c.timestamps.queuedAt ?? c.timestamps.escalatedAt;
  if (!from) return 0;
  const until = c.timestamps.acceptedAt && c.timestamps.acceptedAt >= from ? c.timestamps.acceptedAt : now;
  return Math.max(0, Math.round((until.getTime() - from.getTime()) / 1000));
}

/** The customer summary page an agent sees beside the conversation. */
export function createCustomerSummary({ repos, deps }: WorkspacePorts, access: WorkspaceAccess) {
  return {
    async forConversation(actor: Actor, conversationId: string): Promise<CustomerSummary> {
      const { conversation: c } = await access.conversation(
        actor,
        conversationId,
        'read',
        'read the customer of',
      );
      const [customer, workstream, queue, cases] = await Promise.all([
        repos.customers.require(c.customerId),
        repos.workstreams.get(c.workstreamId),
        c.queueId ? repos.queues.get(c.queueId) : Promise.resolve(null),
        repos.cases.listByCustomer(c.customerId, { limit: RECENT_CASES + 1 }),
      ]);
      const currentCase = c.caseId
        ? (cases.find((k) => k.id === c.caseId) ?? (await repos.cases.get(c.caseId)) ?? undefined)
        : undefined;
      const earlierHistory = await hasEarlierHistory(repos, c, cases);
      const matchedBy = customerMatch(c.context);
      const prompts = new Map((workstream?.preChatSurvey ?? []).map((q) => [q.id, q.prompt]));
      return {
        customer,
        conversation: {
          id: c.id,
          channel: c.channel,
          status: c.status,
          workstreamId: c.workstreamId,
          ...(workstream ? { workstreamName: workstream.name } : {}),
          ...(c.queueId ? { queueId: c.queueId } : {}),
          ...(queue ? { queueName: queue.name } : {}),
          requiredSkills: c.requiredSkills,
          startedAt: c.timestamps.createdAt,
          ...(c.timestamps.queuedAt ? { queuedAt: c.timestamps.queuedAt } : {}),
          ...(c.timestamps.acceptedAt ? { acceptedAt: c.timestamps.acceptedAt } : {}),
          waitingSeconds: waitingSeconds(c, deps.now()),
        },
        preChat: Object.entries(c.context.preChat).map(([id, answer]) => ({
          id,
          question: prompts.get(id) ?? id,
          answer,
        })),
        portalNavigation: c.context.portalNavigation,
        visitor: c.context.visitor,
        additionalContext: Object.entries(c.context.custom).map(([key, value]) => ({ key, value })),
        recentCases: cases.filter((k) => k.id !== c.caseId).slice(0, RECENT_CASES),
        ...(currentCase ? { currentCase } : {}),
        verified: matchedBy === 'sign-in',
        matchedBy,
        earlierHistory,
      };
    },
  };
}
