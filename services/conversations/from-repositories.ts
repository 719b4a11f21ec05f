import type { Repositories } from '../store/index.js';
import type { ConversationServicePorts, EventPublisher, RoutingPort, SentimentScorer } from './ports.js';

/**
 * Wires the service's ports to the store repositories; the composition root adds the router, the
 * sentiment scorer and the event bus.
 */
export function conversationPortsFromRepositories(
  repos: Pick<
    Repositories,
    'conversations' | 'messages' | 'customers' | 'workstreams' | 'agents' | 'queues' | 'events'
  >,
  others: {
    router: RoutingPort;
    sentiment: SentimentScorer;
    bus: EventPublisher;
    onError?: (error: unknown, what: string) => void;
  },
): ConversationServicePorts {
  return {
    conversations: {
      get: (id) => repos.conversations.get(id),
      channelRefOf: (id) => repos.conversations.channelRefOf(id),
      insert: async (c) => {
        await repos.conversations.insert(c);
      },
      change: (id, change) => repos.conversations.change(id, change),
      customerHasOthers: async (customerId, except) =>
        (await repos.conversations.findByCustomer(customerId, { limit: 2 })).some((c) => c.id !== except),
    },
    messages: {
      append: (m, at, also, looked) => repos.messages.append(m, at, also, looked),
      ofActivity: (conversationId, activityId) => repos.messages.ofActivity(conversationId, activityId),
      // Every matching message, page by page: the port promises no cap, and what reads it (the
      // customer's transcript, what a relay still owes) must not stop at a page's end.
      list: (conversationId, query) => repos.messages.all(conversationId, query),
      get: (conversationId, messageId) => repos.messages.get(conversationId, messageId),
    },
    customers: {
      findByIdentity: (channel, userId) => repos.customers.findByIdentity(channel, userId),
      withIdentity: (channel, userId) => repos.customers.withIdentity(channel, userId),
      get: (id) => repos.customers.get(id),
      insert: async (c) => {
        await repos.customers.insert(c);
      },
      updateContact: async (id, fields) => {
        await repos.customers.updateContact(id, fields);
      },
    },
    workstreams: {
      forChannel: (channel) => repos.workstreams.forChannel(channel),
      shortestInactivityMinutes: () => repos.workstreams.shortestInactivityMinutes(),
    },
    agents: { get: (id) => repos.agents.get(id) },
    queues: { get: (id) => repos.queues.get(id) },
    ...others,
  };
}
