import {
  attachment,
  card,
  execute,
  facts,
  openUrl,
  plain,
  text,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from './adaptive-card.js';
import { channelName } from './offer-card.js';

export interface TranscriptLine {
  from: string;
  text: string;
  internal: boolean;
}

export interface ConsultCardView {
  conversationId: string;
  requestedBy: string;
  customerName: string;
  channel: string;
  queueName: string;
  /** One of the seven sentiment levels (`SENTIMENT_LEVELS` in services/domain/entities.ts), e.g. "negative". */
  sentiment?: string;
  recentTranscript: TranscriptLine[];
  workspaceUrl: string;
  ended: boolean;
}

export const CONSULT_VERBS = { end: 'consult.end' } as const;

/** A supervisor (or agent) is consulted: the context, the last messages, and how to answer. */
export function consultCard(v: ConsultCardView): AdaptiveCard {
  const body: CardElement[] = [
    text(v.ended ? 'Consult ended' : `${plain(v.requestedBy)} asks for your help`, {
      size: 'medium',
      weight: 'bolder',
    }),
    facts([
      ['Customer', plain(v.customerName)],
      ['Channel', channelName(v.channel)],
      ['Queue', plain(v.queueName)],
      ['Sentiment', v.sentiment ?? 'not yet known'],
    ]),
  ];
  if (v.recentTranscript.length > 0) {
    body.push(text('Recent messages', { weight: 'bolder', spacing: 'medium' }));
    for (const line of v.recentTranscript) {
      body.push(
        text(`**${plain(line.from)}**${line.internal ? ' (internal)' : ''}: ${plain(line.text)}`, {
          spacing: 'small',
          maxLines: 4,
        }),
      );
    }
  }
  body.push(
    text(
      v.ended
        ? 'Messages here no longer reach the conversation.'
        : 'Reply in this chat: your messages reach the agent as internal notes, never the customer.',
      { isSubtle: true, spacing: 'medium' },
    ),
  );
  const actions: CardAction[] = [openUrl('Open in workspace', v.workspaceUrl)];
  if (!v.ended) actions.push(execute('End consult', CONSULT_VERBS.end, { conversationId: v.conversationId }));
  return card(body, { actions });
}

export const consultAttachment = (v: ConsultCardView) => attachment(consultCard(v));
