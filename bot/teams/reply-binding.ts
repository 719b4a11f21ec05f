/**
 * Which of a consultant's consults a message they write in Teams answers. With more than one consult
 * open, "their latest" is a guess that hands one customer's details to another's conversation, so a
 * message goes to a consult only when it is bound to it — a Teams reply to that consult's card or to
 * one of the messages relayed for it — or when exactly one consult is open in that chat.
 */
export type ReplyBinding<R> =
  | { kind: 'relay'; consult: R }
  /** A reply to a consult that is over: nothing is relayed, and the consultant is told. */
  | { kind: 'ended'; consult: R }
  /** Several consults open and nothing says which: nothing is relayed; the consultant is shown how. */
  | { kind: 'ambiguous'; open: R[] }
  /** Not a consult message: the bot's other commands (and help) apply. */
  | { kind: 'none' };

export function bindReply<R extends { active: boolean }>(open: R[], repliedTo: R | null): ReplyBinding<R> {
  if (repliedTo)
    return repliedTo.active ? { kind: 'relay', consult: repliedTo } : { kind: 'ended', consult: repliedTo };
  if (open.length === 1) return { kind: 'relay', consult: open[0]! };
  if (open.length > 1) return { kind: 'ambiguous', open };
  return { kind: 'none' };
}

interface TeamsMessage {
  replyToId?: string;
  attachments?: Array<{ contentType?: string; content?: unknown }>;
}

// Teams marks a reply in a chat as a quote of the message answered, in the text/html copy of the
// message: <blockquote itemscope itemtype="http://schema.skype.com/Reply" itemid="{message id}">.
const QUOTE = /<blockquote\b[^>]*\bitemtype="http:\/\/schema\.skype\.com\/Reply"[^>]*>/i;
const ITEM_ID = /\bitemid="([^"]{1,200})"/i;

/**
 * The id of the message a Teams message replies to: `replyToId` (a reply in a thread), else the id
 * of the message a chat reply quotes. Undefined for a message that answers nothing in particular.
 */
export function repliedToId(activity: TeamsMessage): string | undefined {
  if (typeof activity.replyToId === 'string' && activity.replyToId) return activity.replyToId;
  for (const a of activity.attachments ?? []) {
    if (a.contentType !== 'text/html' || typeof a.content !== 'string') continue;
    const quote = QUOTE.exec(a.content.slice(0, 10_000));
    const id = quote ? ITEM_ID.exec(quote[0]) : null;
    if (id) return id[1];
  }
  return undefined;
}
