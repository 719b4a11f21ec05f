import { attachment, card, facts, openUrl, plain, text, type AdaptiveCard } from './adaptive-card.js';
import { channelName } from './offer-card.js';

export interface AlertCardView {
  conversationId: string;
  level: string;
  customerName: string;
  channel: string;
  queueName: string;
  agentName?: string;
  lastCustomerMessage?: string;
  workspaceUrl: string;
}

/** A conversation in one of the supervisor's queues crossed their sentiment threshold. */
export function alertCard(v: AlertCardView): AdaptiveCard {
  return card(
    [
      text(`⚠️ Sentiment is ${v.level}`, { size: 'medium', weight: 'bolder', color: 'attention' }),
      facts([
        ['Customer', plain(v.customerName)],
        ['Channel', channelName(v.channel)],
        ['Queue', plain(v.queueName)],
        ['Agent', v.agentName ? plain(v.agentName) : 'not assigned'],
      ]),
      ...(v.lastCustomerMessage ? [text(`“${plain(v.lastCustomerMessage)}”`, { maxLines: 4 })] : []),
    ],
    { actions: [openUrl('Open in workspace', v.workspaceUrl)] },
  );
}

export const alertAttachment = (v: AlertCardView) => attachment(alertCard(v));
