import { z } from 'zod';
import type { AgentDesk } from '../../agent-desk/index.js';
import {
  id,
  idParams,
  items,
  meSchema,
  offerSchema,
  okSchema,
  presenceBody,
  sessionItemSchema,
  thresholdBody,
  workItemSchema,
} from './agent-schemas.js';
import { defineRoute, type ApiRoute } from './route-definition.js';

/** Me, presence, queues, alert threshold, the dashboard lists and offers (docs/agent-api.md). */
export function agentRoutes(desk: AgentDesk): ApiRoute[] {
  const { profile, work } = desk;
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'The signed-in agent with presence, capacity and queues',
      response: meSchema,
      handler: ({ caller }) => profile.me(caller.agentId),
    }),
    defineRoute({
      method: 'put',
      path: '/me/presence',
      summary: 'Set my presence (a base presence or a custom one)',
      body: presenceBody,
      response: meSchema,
      handler: ({ caller, body }) => profile.setPresence(caller.agentId, body.presence),
    }),
    defineRoute({
      method: 'get',
      path: '/presences',
      summary: 'Presences I can choose: the base ones and the configured custom ones',
      response: items(z.object({ id: z.string(), label: z.string(), base: z.string() })),
      handler: async () => ({ items: profile.presences() }),
    }),
    defineRoute({
      method: 'put',
      path: '/me/queues/:queueId',
      summary: 'Opt in or out of one of my queues (opted-out queues offer me nothing)',
      params: z.object({ queueId: id }),
      body: z.object({ optedIn: z.boolean() }),
      response: meSchema,
      handler: ({ caller, params, body }) =>
        profile.setQueueOptIn(caller.agentId, params.queueId, body.optedIn),
    }),
    defineRoute({
      method: 'put',
      path: '/me/alert-threshold',
      summary: 'My sentiment alert threshold',
      body: thresholdBody,
      response: meSchema,
      handler: ({ caller, body }) => profile.setAlertThreshold(caller.agentId, body.threshold),
    }),
    defineRoute({
      method: 'get',
      path: '/work-items',
      summary: 'Dashboard lists: my open items, open items in my queues, mine closed in the last 24 h',
      query: z.object({
        view: z.enum(['mine', 'open', 'closed']).default('mine'),
        before: z
          .string()
          .min(1)
          .max(300)
          .optional()
          .describe('Closed list: the `nextCursor` of the page before'),
      }),
      response: z.object({
        items: z.array(workItemSchema),
        total: z
          .number()
          .describe(
            'Items in the list in all; the open list shows the 200 longest waiting of them, the closed list pages 200 at a time',
          ),
        nextCursor: z
          .string()
          .optional()
          .describe('Closed list: pass as `before` for the next (earlier closed) page; absent on the last'),
      }),
      handler: ({ caller, query }) => work.items(caller.agentId, query.view, query.before),
    }),
    defineRoute({
      method: 'get',
      path: '/me/sessions',
      summary:
        'The conversations I am in now, mine and those I consult on or monitor (what a reload reopens)',
      response: items(sessionItemSchema),
      handler: ({ caller }) => work.sessions(caller.agentId),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/pick',
      summary: 'Take an open item from one of my queues (409 if someone else won)',
      params: idParams,
      response: workItemSchema,
      handler: ({ caller, params }) => work.pick(caller.agentId, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/reopen',
      summary: 'Reopen one of my conversations closed in the last 24 hours',
      params: idParams,
      response: workItemSchema,
      handler: ({ caller, params }) => work.reopen(caller.agentId, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/offers',
      summary: 'My pending offers, each with the reason routing chose me',
      response: items(offerSchema),
      handler: async ({ caller }) => ({ items: await work.offers(caller.agentId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/offers/:offerId/accept',
      summary: 'Accept an offer (409 when it is gone: taken, expired, withdrawn)',
      params: z.object({ offerId: id }),
      response: workItemSchema,
      handler: ({ caller, params }) => work.accept(caller.agentId, params.offerId),
    }),
    defineRoute({
      method: 'post',
      path: '/offers/:offerId/reject',
      summary: 'Reject an offer (409 when it is gone)',
      params: z.object({ offerId: id }),
      response: okSchema,
      handler: ({ caller, params }) => work.reject(caller.agentId, params.offerId),
    }),
  ];
}
