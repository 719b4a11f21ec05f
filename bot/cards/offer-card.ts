import {
  attachment,
  card,
  duration,
  execute,
  facts,
  openUrl,
  plain,
  text,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';

/** Where an offer stands, as everyone who sees its card should see it. */
export type OfferCardState =
  | { kind: 'open' }
  | { kind: 'accepted'; by?: string }
  | { kind: 'taken'; by?: string }
  | { kind: 'rejected' }
  | { kind: 'expired' }
  | { kind: 'withdrawn'; why: string };

export interface OfferCardView {
  /** What the card's actions carry back: the offer they answer. */
  offerKey: string;
  conversationId: string;
  customerName: string;
  channel: string;
  queueName: string;
  waitingSeconds: number;
  firstMessage?: string;
  /** Why routing chose this agent, one sentence. */
  reason: string;
  expiresAt: Date;
  state: OfferCardState;
  /** The Teams user ids whose clients refresh the card when showing it. */
  refreshUserIds: string[];
  /** Opens the conversation in the agent workspace. */
  workspaceUrl?: string;
}

export const OFFER_VERBS = {
  accept: 'offer.accept',
  reject: 'offer.reject',
  refresh: 'offer.refresh',
} as const;

const CHANNEL_NAMES: Record<string, string> = {
  webchat: 'Web chat',
  directline: 'Web chat',
  msteams: 'Microsoft Teams',
};

export function channelName(channel: string): string {
  return CHANNEL_NAMES[channel] ?? channel;
}

function hhmm(d: Date): string {
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

function outcome(state: OfferCardState, expiresAt: Date): CardElement | null {
  switch (state.kind) {
    case 'open':
      return text(`Answer by ${hhmm(expiresAt)}`, { isSubtle: true, spacing: 'small' });
    case 'accepted':
      return text(`✅ Taken by you${state.by ? ` (${plain(state.by)})` : ''}: the conversation is yours.`, {
        color: 'good',
        weight: 'bolder',
      });
    case 'taken':
      return text(`Taken${state.by ? ` by ${plain(state.by)}` : ' by someone else'}.`, {
        color: 'warning',
        weight: 'bolder',
      });
    case 'rejected':
      return text('You passed on this conversation; it went back to the queue.', {
        isSubtle: true,
        weight: 'bolder',
      });
    case 'expired':
      // Routing sets an agent who lets an offer run out Away (services/presence `missedOffer`).
      return text(
        `This offer expired at ${hhmm(expiresAt)}, so your presence is now Away. Choose Available in the Switchboard tab when you are ready for more.`,
        { color: 'attention', weight: 'bolder' },
      );
    case 'withdrawn':
      return text(`No longer offered: ${plain(state.why)}.`, { isSubtle: true, weight: 'bolder' });
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** A conversation offered to an agent, with Accept / Reject while it is open and the outcome after. */
export function offerCard(v: OfferCardView): AdaptiveCard {
  const data = { offerKey: v.offerKey, conversationId: v.conversationId };
  const open = v.state.kind === 'open';
  const body: CardElement[] = [
    text(open ? 'New conversation for you' : 'Conversation offer', { size: 'medium', weight: 'bolder' }),
    facts([
      ['Customer', plain(v.customerName)],
      ['Channel', channelName(v.channel)],
      ['Queue', plain(v.queueName)],
      ['Waiting', duration(v.waitingSeconds)],
    ]),
  ];
  if (v.firstMessage)
    body.push(
      text('First message', { weight: 'bolder', spacing: 'medium' }),
      text(`“${plain(v.firstMessage)}”`, { maxLines: 6 }),
    );
  body.push(text(`Why you: ${plain(v.reason)}`, { isSubtle: true, spacing: 'medium' }));
  const state = outcome(v.state, v.expiresAt);
  if (state) body.push(state);

  const actions = open
    ? [
        execute('Accept', OFFER_VERBS.accept, data, 'positive'),
        execute('Reject', OFFER_VERBS.reject, data, 'destructive'),
      ]
    : v.state.kind === 'accepted' && v.workspaceUrl
      ? [openUrl('Open in workspace', v.workspaceUrl)]
      : [];
  return card(body, {
    actions,
    refresh: { action: execute('Refresh', OFFER_VERBS.refresh, data), userIds: v.refreshUserIds },
  });
}

export const offerAttachment = (v: OfferCardView) => attachment(offerCard(v));
