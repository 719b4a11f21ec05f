/** The slice of the Bot Framework Activity schema the widget reads and writes. */
export interface ChannelAccount {
  id: string;
  name?: string;
  role?: string;
}

export interface CardAction {
  type: string;
  title?: string;
  value?: unknown;
}

export interface Attachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

export interface Activity {
  type: string;
  id?: string;
  timestamp?: string;
  from?: ChannelAccount;
  text?: string;
  /** Bot Framework default is markdown. */
  textFormat?: string;
  name?: string;
  value?: unknown;
  locale?: string;
  attachments?: Attachment[];
  suggestedActions?: { actions?: CardAction[] };
  channelData?: { clientActivityId?: string; [k: string]: unknown };
}

export interface ActivitySet {
  activities: Activity[];
  watermark?: string;
}

export type QuestionKind = 'text' | 'email' | 'choice';

export interface PreChatQuestion {
  id: string;
  prompt: string;
  kind: QuestionKind;
  choices?: string[];
  required?: boolean;
}

export const HERO_CARD = 'application/vnd.microsoft.card.hero';
