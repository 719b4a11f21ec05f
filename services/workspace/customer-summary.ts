import type { Case, Conversation, Customer, PortalNavigationEntry, VisitorDetails } from '../domain/index.js';
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
      };
    },
  };
}
