/**
 * Which of a consultant's consults a message they write in Teams answers. With more than one consult
 * open, "their latest" is a guess that hands one customer's details to another's conversation, so a
 * message goes to a consult only when it is bound to it — a Teams reply to that consult's card or to
 * one of the messages relayed for it — or when exactly one consult is open in that chat.
 */
export type ReplyBinding<R> =
  | { kind: 'relay'; consult: R }
  /**
   * Nothing is relayed, and the consultant is told: a reply to a consult that is over (`replied`), or
   * a plain message soon after the chat's last consult ended, which they may still be answering.
   */
  | { kind: 'ended'; consult: R; replied: boolean }
  /** Several consults open and nothing says which: nothing is relayed; the consultant is shown how. */
  | { kind: 'ambiguous'; open: R[] }
  /** Not a consult message: the bot's other commands (and help) apply. */
  | { kind: 'none' };

/**
 * How long after a chat's last consult ended a plain message is still taken for an answer to it: the
 * rest of that working day. Later the chat has moved on, and the bot's help is the better answer.
 */
export const ENDED_RECENTLY_MS = 12 * 60 * 60 * 1000;

/** Whether a consult ended within `ENDED_RECENTLY_MS` of `now`. */
export function endedRecently(r: { active: boolean; endedAt?: Date }, now: Date): boolean {
  if (r.active || !r.endedAt) return false;
  return now.getTime() - new Date(r.endedAt).getTime() < ENDED_RECENTLY_MS;
}

/**
 * `open`: the consults open in the chat; `repliedTo`: the consult the message replies to, if any;
 * `recentlyEnded`: the chat's last consult when it ended recently (`endedRecently`).
 */
export function bindReply<R extends { active: boolean }>(
  open: R[],
  repliedTo: R | null,
  recentlyEnded: R | null = null,
): ReplyBinding<R> {
  if (repliedTo)
    return repliedTo.active
      ? { kind: 'relay', consult: repliedTo }
      : { kind: 'ended', consult: repliedTo, replied: true };
  if (open.length === 1) return { kind: 'relay', consult: open[0]! };
  if (open.length > 1) return { kind: 'ambiguous', open };
  if (recentlyEnded && !recentlyEnded.active)
    return { kind: 'ended', consult: recentlyEnded, replied: false };
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
