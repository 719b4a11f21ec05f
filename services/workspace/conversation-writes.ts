import { ConflictError, NotFoundError, type Conversation } from '../domain/index.js';
import type { WorkspaceRecords } from './ports.js';

const WRITE_ATTEMPTS = 5;

/**
 * Changes a few fields of a conversation with the version check routing relies on (CONVENTIONS 13):
 * if routing moved the conversation in between, the change is applied again to the fresh state
 * instead of overwriting it.
 */
export async function changeConversation(
  repos: WorkspaceRecords,
  id: string,
  change: (c: Conversation) => Partial<Conversation>,
): Promise<Conversation> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const before = await repos.conversations.get(id);
    if (!before) throw new NotFoundError('conversation.not_found', `Conversation ${id} does not exist`);
    const next: Conversation = { ...before, ...change(before), version: before.version + 1 };
    const written = await repos.conversations.replaceIf(id, before.version, next);
    if (written) return written;
  }
  throw new ConflictError('conversation.write_conflict', `Conversation ${id} kept changing; try again`);
}
