import type { Activity } from 'botbuilder';

/**
 * The answer to someone who asks the helpdesk in a group chat or channel (`isSharedChat`): where to
 * ask instead, and that nothing of what they wrote there was kept or passed on. A helpdesk
 * conversation is one person's and private: the bot keys it by the channel conversation, and the
 * agents' replies go back there. The answer mentions them, as everyone there reads it.
 */
export function personalChatPointer(activity: Pick<Activity, 'from' | 'recipient'>): Partial<Activity> {
  const bot = activity.recipient?.name || 'me';
  const name = activity.from?.name;
  const mention = name ? `<at>${name}</at>` : '';
  const text =
    `${mention ? `${mention} ` : ''}I help only in a personal chat, so that what you tell the helpdesk ` +
    `stays between you and them. Nothing you write here is passed on: open a chat with ${bot} ` +
    '(search for it in Chat) and write there.';
  return {
    type: 'message',
    text,
    ...(mention
      ? { entities: [{ type: 'mention', text: mention, mentioned: { id: activity.from.id, name } }] }
      : {}),
  };
}
