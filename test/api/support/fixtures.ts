import type { AppServices } from '../../../services/app.js';
import { until } from './clients.js';

/**
 * A real conversation, as a customer escalating from the widget makes one: started, pre-chat
 * answered (Wi-Fi → Technical support), queued, offered to Alex (the only one available), accepted.
 */
export async function activeConversationWithAlex(services: AppServices, userId: string): Promise<string> {
  const { conversations, router, repos } = services;
  for (const a of await repos.agents.list({ limit: 100 })) {
    await router.presence.set(
      a.id,
      a.id === 'agent_alex' ? 'available' : a.roles.includes('supervisor') ? 'busy-dnd' : 'away',
    );
  }
  const { conversation } = await conversations.start({
    channel: 'webchat',
    channelUserId: userId,
    userName: 'Dana',
    channelRef: {},
  });
  await conversations.recordPreChat(conversation.id, { name: 'Dana Whitfield', topic: 'Wi-Fi & equipment' });
  await conversations.addCustomerMessage(conversation.id, {
    text: 'My router keeps dropping the connection',
  });
  await conversations.escalate(conversation.id, 'asked for an agent');
  await until('the offer to Alex', async () => {
    const c = await repos.conversations.get(conversation.id);
    return c?.status === 'offered' && c.agentId === 'agent_alex' ? c : undefined;
  });
  await router.accept(conversation.id, 'agent_alex');
  return conversation.id;
}
