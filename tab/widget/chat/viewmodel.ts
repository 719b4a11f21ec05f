/**
 * Turns the conversation's activities into what the chat window shows. Pure: the same activities
 * always give the same view, so a reloaded page rebuilds exactly what the visitor saw.
 */
import type { WidgetEventName } from '../../../bot/customer-dialog/index.js';
import {
  HERO_CARD,
  type Activity,
  type Attachment,
  type CardAction,
  type PreChatQuestion,
} from './activity.js';

export interface HeroCardView {
  title: string;
  subtitle: string;
  text: string;
  buttons: CardAction[];
}

/** A file sent or received: drawn as a thumbnail (images) or a chip that downloads it. */
export interface FileView {
  name: string;
  contentType: string;
  /** Absent while the widget's own upload is on its way, or when the sender gave only a name. */
  contentUrl?: string;
  image: boolean;
}

export type ViewItem =
  | {
      kind: 'message';
      key: string;
      role: 'customer' | 'bot';
      sender: string;
      /** Show the sender's name: the first of a run of messages from the same sender. */
      showSender: boolean;
      text: string;
      /** Render inline markdown (bold, italic, links); customers' own text is always plain. */
      markdown: boolean;
      cards: HeroCardView[];
      /** Every attachment that is not a card, so nothing is silently dropped. */
      files: FileView[];
      timestamp?: string;
      /** The customer's own message: on its way, or given up on (shown with Retry). */
      pending: boolean;
      failed: boolean;
    }
  | { kind: 'notice'; key: string; text: string }
  | {
      kind: 'preChat';
      key: string;
      questions: PreChatQuestion[];
      submitted: boolean;
      /** Closed without the form: the bot took the answers in the chat, or the chat moved past it. */
      inChat?: true;
    }
  | { kind: 'csat'; key: string; submitted: boolean };

export interface QueueView {
  position: number;
  /** null: nobody who could take the chat is available, so there is no estimate to give. */
  estimatedWaitSeconds?: number | null;
}

export interface ViewModel {
  items: ViewItem[];
  suggestedActions: CardAction[];
  queue: QueueView | null;
  agentName: string | null;
  /** The agent handed the chat on and the next one has not joined yet: the customer should wait. */
  transferring: boolean;
  /** The last agent who joined, still named after they left: whom the customer may rate. */
  servedBy: string | null;
  ended: boolean;
}

/**
 * Events that only come once the survey is over (answered by the form or in the chat, or given up
 * for a person): a form still open then closes, since its answers would be ignored.
 */
const PAST_THE_SURVEY: ReadonlySet<string> = new Set<WidgetEventName>([
  'preChatComplete',
  'queuePosition',
  'agentJoined',
  'agentLeft',
  'conversationEnded',
  'conversationReopened',
  'postChatSurvey',
]);

/** Activity ids the widget gives its own not-yet-acknowledged sends. */
export const PENDING_PREFIX = 'pending:';
/** …and those it gave up sending, until the customer tries again. */
export const UNSENT_PREFIX = 'unsent:';

/** The view key of the customer's own message with this client id. */
export function ownKey(clientActivityId: string): string {
  return `mine:${clientActivityId}`;
}

/** A send of ours the server has not acknowledged: on its way, or given up on. */
export function isUnacknowledged(a: Activity): boolean {
  return !!a.id && (a.id.startsWith(PENDING_PREFIX) || a.id.startsWith(UNSENT_PREFIX));
}

export function buildViewModel(activities: readonly Activity[], userId: string, botName: string): ViewModel {
  const items: ViewItem[] = [];
  let queue: QueueView | null = null;
  let agentName: string | null = null;
  let transferring = false;
  let servedBy: string | null = null;
  let ended = false;
  let lastSenderKey = '';
  let suggestedActions: CardAction[] = [];

  activities.forEach((a, i) => {
    const mine = a.from?.id === userId;
    // Our own message keeps one key from sending to sent (its id changes on the way), so the view
    // updates its status in place rather than adding it to the log again.
    const clientId = mine ? a.channelData?.clientActivityId : undefined;
    const key = clientId ? ownKey(clientId) : (a.id ?? `idx:${i}`);
    if (a.type === 'message') {
      const answer = mine && isObject(a.value) ? a.value : {};
      if ('preChat' in answer) markSubmitted(items, 'preChat');
      if ('csat' in answer) markSubmitted(items, 'csat');
      const cards = (a.attachments ?? []).filter((x) => x.contentType === HERO_CARD).map(heroCard);
      const files = (a.attachments ?? []).filter((x) => x.contentType !== HERO_CARD).map(fileView);
      const text = a.text ?? '';
      suggestedActions = mine ? [] : validActions(a.suggestedActions?.actions);
      if (!text.trim() && !cards.length && !files.length) return;
      const senderKey = mine ? 'me' : `${a.from?.id ?? ''}|${a.from?.name ?? ''}`;
      items.push({
        kind: 'message',
        key,
        role: mine ? 'customer' : 'bot',
        sender: mine ? 'You' : a.from?.name?.trim() || botName,
        showSender: !mine && senderKey !== lastSenderKey,
        text,
        markdown: !mine && (a.textFormat ?? 'markdown') === 'markdown',
        cards,
        files,
        ...(a.timestamp ? { timestamp: a.timestamp } : {}),
        pending: !!a.id?.startsWith(PENDING_PREFIX),
        failed: !!a.id?.startsWith(UNSENT_PREFIX),
      });
      lastSenderKey = senderKey;
      return;
    }
    if (a.type !== 'event' || mine) return;
    const value = isObject(a.value) ? a.value : {};
    if (a.name && PAST_THE_SURVEY.has(a.name)) closeUnanswered(items);
    const notice = (text: string) => {
      items.push({ kind: 'notice', key, text });
      lastSenderKey = ''; // a notice breaks a run, so the next message names its sender again
    };
    // The bot's event names are defined once, by the bot's dialog; a renamed event fails typecheck here.
    switch (a.name as WidgetEventName | 'sb:notice' | undefined) {
      case 'agentJoined': {
        agentName = str(value.name) || 'An agent';
        servedBy = str(value.name) || 'the agent';
        queue = null;
        transferring = false;
        notice(`${agentName} joined the conversation`);
        break;
      }
      case 'agentLeft': {
        // Only a hand-over takes the agent away while the chat goes on (a transfer, an assignment):
        // the bot's words say so; an older event without them gets the same sense here.
        const who = str(value.name) || agentName || 'The agent';
        agentName = null;
        transferring = true;
        notice(
          str(a.text) ||
            `${who} is transferring you to another agent. Please stay in this chat: they will be with you shortly.`,
        );
        break;
      }
      case 'conversationReopened': {
        // The agent took the ended chat up again: it goes on, and a survey not yet answered is moot.
        agentName = str(value.name) || 'An agent';
        servedBy = str(value.name) || servedBy || 'the agent';
        ended = false;
        transferring = false;
        queue = null;
        dropUnanswered(items, 'csat');
        notice(str(a.text) || `${agentName} reopened the chat`);
        break;
      }
      case 'queuePosition': {
        const position = Number(value.position);
        const raw = value.estimatedWaitSeconds;
        const wait = raw === null ? null : typeof raw === 'number' && raw >= 0 ? raw : undefined;
        queue =
          Number.isFinite(position) && position > 0
            ? { position, ...(wait !== undefined ? { estimatedWaitSeconds: wait } : {}) }
            : null;
        break;
      }
      case 'conversationEnded':
        ended = true;
        queue = null;
        agentName = null;
        transferring = false;
        suggestedActions = [];
        notice('The conversation has ended');
        break;
      case 'preChatSurvey': {
        const questions = parseQuestions(value.questions);
        if (questions.length) items.push({ kind: 'preChat', key, questions, submitted: false });
        break;
      }
      case 'sb:notice': // the widget's own local notices (send failures, expiry)
        notice(str(value.text));
        break;
      case 'postChatSurvey':
        items.push({ kind: 'csat', key, submitted: false });
        break;
    }
  });

  return {
    items,
    suggestedActions: ended ? [] : suggestedActions,
    queue,
    agentName,
    transferring,
    servedBy,
    ended,
  };
}

export function queueText(q: QueueView): string {
  const ordinal = q.position === 1 ? 'next' : `number ${q.position}`;
  if (q.estimatedWaitSeconds === null)
    return `You're ${ordinal} in line. No one on the team is free to take a chat right now: you keep your place, and the first person free will answer.`;
  if (q.estimatedWaitSeconds === undefined)
    return `You're ${ordinal} in line. An agent will be with you soon.`;
  const minutes = Math.max(1, Math.round(q.estimatedWaitSeconds / 60));
  return `You're ${ordinal} in line. Estimated wait: about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

export function parseQuestions(raw: unknown): PreChatQuestion[] {
  if (!Array.isArray(raw)) return [];
  const out: PreChatQuestion[] = [];
  for (const q of raw) {
    if (!isObject(q)) continue;
    const id = str(q.id);
    const prompt = str(q.prompt);
    const kind = q.kind === 'email' || q.kind === 'choice' ? q.kind : 'text';
    if (!id || !prompt) continue;
    const choices = Array.isArray(q.choices)
      ? q.choices.filter((c): c is string => typeof c === 'string')
      : [];
    if (kind === 'choice' && !choices.length) continue;
    out.push({ id, prompt, kind, required: q.required === true, ...(kind === 'choice' ? { choices } : {}) });
  }
  return out;
}

function heroCard(att: { content?: unknown }): HeroCardView {
  const c = isObject(att.content) ? att.content : {};
  return {
    title: str(c.title),
    subtitle: str(c.subtitle),
    text: str(c.text),
    buttons: validActions(Array.isArray(c.buttons) ? (c.buttons as CardAction[]) : []),
  };
}

function fileView(att: Attachment): FileView {
  const contentType = str(att.contentType);
  const contentUrl = str(att.contentUrl);
  return {
    name: str(att.name) || contentType || 'file',
    contentType,
    ...(contentUrl ? { contentUrl } : {}),
    image: contentType.startsWith('image/'),
  };
}

function validActions(actions: CardAction[] | undefined): CardAction[] {
  return (actions ?? []).filter(
    (a) => isObject(a) && typeof a.type === 'string' && (str(a.title) || typeof a.value === 'string'),
  );
}

function markSubmitted(items: ViewItem[], kind: 'preChat' | 'csat'): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === kind && !item.submitted) {
      items[i] = { ...item, submitted: true };
      return;
    }
  }
}

/** The pre-chat form still open is closed: what it asks, the bot already has (or no longer needs). */
function closeUnanswered(items: ViewItem[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === 'preChat' && !item.submitted) items[i] = { ...item, submitted: true, inChat: true };
  }
}

function dropUnanswered(items: ViewItem[], kind: 'preChat' | 'csat'): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === kind && !item.submitted) items.splice(i, 1);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}
