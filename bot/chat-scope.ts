import type { Activity } from 'botbuilder';

/** Teams' conversation types of chats several people share (the third is `personal`). */
const SHARED_TYPES = new Set(['groupChat', 'channel']);

/**
 * Whether a channel conversation is shared by several people: a Teams group chat or channel, or
 * any conversation its channel marks `isGroup` — rather than one person's own chat with the bot,
 * where the helpdesk serves them and offers, consults and alerts arrive.
 */
export function isSharedChat(activity: { conversation?: Partial<Activity['conversation']> }): boolean {
  const { conversationType, isGroup } = activity.conversation ?? {};
  return isGroup === true || SHARED_TYPES.has(conversationType ?? '');
}
