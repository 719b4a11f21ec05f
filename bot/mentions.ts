import type { Activity } from 'botbuilder';

/** Spaces a mention leaves behind it ("<at>Switchboard</at> queues"); Teams writes some as no-break. */
const AFTER_MENTION = /^[ \t\u00a0]+/;

/**
 * Takes the bot's own @mentions out of a message's text. Teams writes a mention into the text
 * ("<at>Switchboard</at> queues") and names whom it mentions in a `mention` entity; in a group chat
 * or a channel every message to the bot carries one. It addresses the bot and is no part of what
 * was said, so it goes before commands are matched and before the text is stored or relayed.
 * Mentions of anyone else stay: they are part of the message.
 *
 * botbuilder's `TurnContext.removeRecipientMention` does this for the first occurrence only, and
 * throws on a mention entity without `mentioned`, which nothing about the entity guarantees.
 */
export function removeBotMention(activity: Activity): void {
  const botId = activity.recipient?.id;
  if (typeof activity.text !== 'string' || !botId || !Array.isArray(activity.entities)) return;
  let text = activity.text;
  let found = false;
  for (const entity of activity.entities as unknown[]) {
    const mention = entity as { type?: unknown; text?: unknown; mentioned?: { id?: unknown } } | null;
    if (mention?.type !== 'mention' || mention.mentioned?.id !== botId) continue;
    const written = mention.text;
    if (typeof written !== 'string' || !written || !text.includes(written)) continue;
    found = true;
    text = text
      .split(written)
      .map((part, i) => (i === 0 ? part : part.replace(AFTER_MENTION, '')))
      .join('');
  }
  if (found) activity.text = text.trim();
}
