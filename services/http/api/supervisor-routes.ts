import { z } from 'zod';
import { LONG_WAIT, type SupervisorView } from '../../insights/index.js';
import { items, level } from './agent-schemas.js';
import { defineRoute, type ApiRoute } from './route-definition.js';

/** What supervisors watch: ongoing conversations of their queues and the real-time figures. */
export function supervisorRoutes(view: SupervisorView): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/supervisor/conversations',
      summary:
        'Ongoing conversations in my queues with status, channel, wait and handle time, agent and live sentiment',
      roles: ['supervisor', 'admin'],
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            status: z.enum(['waiting', 'offered', 'active', 'wrap-up']),
            channel: z.string(),
            queueId: z.string().nullable(),
            agentId: z.string().nullable(),
            waitingSeconds: z.number(),
            handleSeconds: z
              .number()
              .nullable()
              .describe('Since an agent took it, wrap-up included; null while it waits'),
            conversationSeconds: z
              .number()
              .describe(
                'Since the customer began the conversation: unlike the two above, not started again by a transfer or an assignment',
              ),
            awaitingReplySince: z
              .date()
              .nullable()
              .describe(
                "While an agent has it (active): since when the customer has waited for a person's reply (their first public message after the last public answer from an agent or supervisor), else null",
              ),
            longWait: z
              .enum(['queue', 'reply'])
              .nullable()
              .describe(
                `The customer has waited ${LONG_WAIT.queueSeconds} s or more in the queue (\`queue\`) or ${LONG_WAIT.replySeconds} s or more for a reply (\`reply\`); null otherwise`,
              ),
            sentiment: level,
            sentimentScore: z.number(),
            customerName: z.string(),
            agentName: z.string().nullable(),
            agentPresence: z
              .enum(['available', 'busy', 'do-not-disturb', 'away', 'offline'])
              .nullable()
              .describe(
                'The presence of the agent holding it (a custom one by its base); null when there is none',
              ),
            agentPresenceLabel: z
              .string()
              .nullable()
              .describe("That presence in Teams' words (Busy while full, a custom presence by its name)"),
            alerts: z.number(),
            lastAlert: z
              .object({ level, at: z.date() })
              .nullable()
              .describe('The latest alert raised for you on it: the sentiment it fell to, and when'),
            customerAwaySince: z
              .date()
              .nullable()
              .describe("Since when the customer's chat window has been disconnected; null while it is not"),
          }),
        ),
        total: z.number().describe('Ongoing conversations in my queues in all; `items` shows at most 1,000'),
      }),
      handler: async ({ caller }) => view.conversations(caller.agentId),
    }),
    defineRoute({
      method: 'get',
      path: '/supervisor/realtime',
      summary:
        'Per queue: agents available, on contact, in after-contact work; contacts in queue; oldest age',
      roles: ['supervisor', 'admin'],
      response: items(
        z.object({
          queueId: z.string(),
          queueName: z.string(),
          open: z.boolean(),
          agentsAvailable: z.number(),
          agentsOnContact: z.number(),
          agentsAfterContactWork: z.number(),
          contactsInQueue: z.number(),
          oldestContactAgeSeconds: z.number(),
        }),
      ),
      handler: async ({ caller }) => ({ items: await view.realtime(caller.agentId) }),
    }),
  ];
}
