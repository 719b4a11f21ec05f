import type { ConnectorTarget, OutboundActivity } from './connector.js';

/**
 * The parts of a stored Bot Framework conversation reference the Teams bot writes with. Stored on the
 * agent (`teamsConversationRef`) as plain JSON; read back defensively since it is opaque to services.
 */
export interface TeamsRef {
  serviceUrl: string;
  conversation: { id: string; conversationType?: string; tenantId?: string };
  user: { id: string; name?: string; aadObjectId?: string };
  bot: { id: string; name?: string };
  channelId: string;
}

export function asTeamsRef(value: Record<string, unknown> | undefined): TeamsRef | null {
  const ref = value as Partial<TeamsRef> | undefined;
  if (!ref || typeof ref.serviceUrl !== 'string' || typeof ref.conversation?.id !== 'string') return null;
  if (typeof ref.user?.id !== 'string' || typeof ref.bot?.id !== 'string') return null;
  return ref as TeamsRef;
}

export function targetOf(ref: TeamsRef): ConnectorTarget {
  return { serviceUrl: ref.serviceUrl, conversationId: ref.conversation.id };
}

/** A message into the referenced conversation, addressed as the Bot Connector expects. */
export function messageTo(
  ref: TeamsRef,
  content: { text?: string; attachments?: unknown[] },
): OutboundActivity {
  return {
    type: 'message',
    channelId: ref.channelId,
    from: ref.bot,
    recipient: ref.user,
    conversation: ref.conversation,
    ...(content.text !== undefined ? { text: content.text, textFormat: 'plain' } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
  };
}
