import type { Agent, Conversation } from '../domain/index.js';
import type { WorkspaceRecords } from './ports.js';
import { slotValues } from './slots.js';

/** Loads what the slots of one conversation are filled from, as seen by the agent about to send. */
export async function loadSlotValues(
  repos: WorkspaceRecords,
  conversation: Conversation,
  agent: Agent,
): Promise<Record<string, string | undefined>> {
  const [customer, currentCase, queue] = await Promise.all([
    repos.customers.get(conversation.customerId),
    conversation.caseId ? repos.cases.get(conversation.caseId) : Promise.resolve(null),
    conversation.queueId ? repos.queues.get(conversation.queueId) : Promise.resolve(null),
  ]);
  return slotValues({ conversation, customer, agent, currentCase, queue });
}
