import { ConflictError, type Conversation } from '../domain/index.js';
import type { WorkspaceRecords } from './ports.js';

/**
 * Changes a few fields of a conversation through the store's one conditional-write loop
 * (`Conversations.change`): if routing moved the conversation in between, the change is applied
 * again to the fresh state instead of overwriting it, and only the changed fields are written.
 */
export async function changeConversation(
  repos: WorkspaceRecords,
  id: string,
  change: (c: Conversation) => Partial<Conversation>,
): Promise<Conversation> {
  const written = await repos.conversations.change(id, (c) => ({ ...c, ...change(c) }));
  // The change always yields a state to write, so `change` never answers "nothing to do" here.
  if (!written)
    throw new ConflictError('conversation.write_conflict', 'The conversation changed meanwhile; try again', {
      conversationId: id,
    });
  return written.after;
}
