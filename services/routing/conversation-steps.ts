import type { Conversation, ConversationCommand } from '../domain/index.js';
import { ConflictError, NotFoundError, transition } from '../domain/index.js';
import type { Repositories } from '../store/index.js';

/** States in which an item holds capacity on its agent. */
export const HELD: ReadonlySet<string> = new Set(['offered', 'active', 'wrap-up']);

export type ConversationSteps = ReturnType<typeof createConversationSteps>;

/** Loading a conversation and applying a state-machine command to it through the store's one write loop. */
export function createConversationSteps(conversations: Repositories['conversations'], now: () => Date) {
  async function load(id: string): Promise<Conversation> {
    const c = await conversations.get(id);
    if (!c) throw new NotFoundError('conversation.not_found', `conversation ${id} does not exist`);
    return c;
  }

  /**
   * Applies a command with the optimistic version check, re-applying it to the fresh state when
   * someone else wrote in between, so a lost race surfaces as the state machine's illegal-transition
   * error.
   */
  async function mutate(
    id: string,
    command: (c: Conversation) => ConversationCommand,
    first?: Conversation,
  ): Promise<{ before: Conversation; after: Conversation }> {
    const written = await conversations.change(
      id,
      (c) => transition(c, command(c), now()),
      first ?? (await load(id)),
      'transition',
    );
    // A transition always yields a state to write, so `change` never answers "nothing to do" here.
    if (!written)
      throw new ConflictError(
        'conversation.write_conflict',
        'The conversation changed meanwhile; try again',
        { conversationId: id },
      );
    return written;
  }

  return { load, mutate, get: (id: string) => conversations.get(id), conversations };
}
