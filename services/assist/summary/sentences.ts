import type { Author } from '../../domain/index.js';

export interface Sentence {
  text: string;
  author: Author;
  /** Index of the message in the conversation. */
  message: number;
  /** Position of the sentence within the whole conversation. */
  position: number;
}

/** Sentences of the public messages, in order, each with who said it. */
export function sentencesOf(
  messages: ReadonlyArray<{ author: Author; text: string; visibility?: string }>,
): Sentence[] {
  const out: Sentence[] = [];
  messages.forEach((m, message) => {
    if (m.visibility === 'internal' || m.author === 'system') return;
    for (const raw of m.text.split(/(?<=[.!?])\s+|\n+/u)) {
      const text = raw.trim();
      if (text.length > 0) out.push({ text, author: m.author, message, position: out.length });
    }
  });
  return out;
}
