import {
  characterCount,
  hasVisibleText,
  maskCardNumbers,
  ValidationError,
  withoutControlCharacters,
  type Note,
} from '../domain/index.js';
import { refuseIfErased } from '../privacy/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export const MAX_NOTE_CHARS = 4000;

export interface NoteView extends Note {
  authorName: string;
}

function checkNoteText(text: string): string {
  // Counted and cleaned as a message is (services/domain/message-text.ts): code points, no controls.
  const trimmed = withoutControlCharacters(text).trim();
  if (!hasVisibleText(trimmed)) throw new ValidationError('note.empty', 'A note needs some text');
  const count = characterCount(trimmed);
  if (count > MAX_NOTE_CHARS) {
    throw new ValidationError(
      'note.too_long',
      `A note may hold at most ${MAX_NOTE_CHARS.toLocaleString('en-US')} characters (got ${count.toLocaleString('en-US')})`,
    );
  }
  // Card numbers are never stored (services/domain/card-numbers.ts), in notes as in chats.
  return maskCardNumbers(trimmed);
}

/** Notes on a conversation and quick notes on a customer; agents' working memory, never shown to customers. */
export function createNotes({ repos }: WorkspacePorts, access: WorkspaceAccess) {
  async function withAuthors(notes: Note[]): Promise<NoteView[]> {
    const authors = await repos.agents.getMany([...new Set(notes.map((n) => n.authorId))]);
    const names = new Map(authors.map((a) => [a.id, a.name]));
    return notes.map((n) => ({ ...n, authorName: names.get(n.authorId) ?? n.authorId }));
  }

  return {
    withAuthors,

    /** Newest first. */
    async listForConversation(actor: Actor, conversationId: string): Promise<NoteView[]> {
      await access.conversation(actor, conversationId, 'read', 'read the notes of');
      const notes = await repos.notes.listFor({ conversationId });
      return withAuthors(notes.reverse());
    },

    /** Also filed under the customer, so the note shows on the customer's timeline. */
    async addToConversation(actor: Actor, conversationId: string, text: string): Promise<NoteView> {
      const { conversation, agent } = await access.conversation(
        actor,
        conversationId,
        'write-internal',
        'add notes to',
      );
      // What the erase took must not come back through a note on what it left.
      refuseIfErased(await repos.customers.get(conversation.customerId), 'add notes to it', {
        conversationId,
      });
      const note = await repos.notes.create({
        conversationId,
        customerId: conversation.customerId,
        ...(conversation.caseId ? { caseId: conversation.caseId } : {}),
        authorId: agent.id,
        text: checkNoteText(text),
      });
      return { ...note, authorName: agent.name };
    },

    async addToCustomer(actor: Actor, customerId: string, text: string): Promise<NoteView> {
      const { agent, customer } = await access.customer(actor, customerId, 'write', 'add notes to');
      refuseIfErased(customer, 'add notes to them', { customerId });
      const note = await repos.notes.create({ customerId, authorId: agent.id, text: checkNoteText(text) });
      return { ...note, authorName: agent.name };
    },
  };
}
