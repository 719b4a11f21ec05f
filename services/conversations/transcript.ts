import type { Message } from '../domain/index.js';

export interface TranscriptLine {
  seq: number;
  author: Message['author'];
  name: string;
  text: string;
  at: Date;
}

const DEFAULT_NAMES: Record<Message['author'], string> = {
  customer: 'You',
  bot: 'Virtual assistant',
  agent: 'Agent',
  supervisor: 'Supervisor',
  system: 'System',
};

/** What the customer may see of a conversation: public messages only, in order. */
export function publicTranscript(messages: Message[]): TranscriptLine[] {
  return messages
    .filter((m) => m.visibility === 'public')
    .sort((a, b) => a.seq - b.seq)
    .map((m) => ({
      seq: m.seq,
      author: m.author,
      name: m.author === 'customer' ? DEFAULT_NAMES.customer : (m.authorName ?? DEFAULT_NAMES[m.author]),
      text: withFiles(m),
      at: m.createdAt,
    }));
}

/** The message's words, then the files sent with it by name: a photo alone is not an empty line. */
function withFiles(m: Message): string {
  const files = m.attachments.map((a) => `[file: ${a.name}]`).join(' ');
  return [m.text, files].filter(Boolean).join(' ');
}

/** Plain text, one line per message, times in UTC so the transcript reads the same everywhere. */
export function formatTranscript(lines: TranscriptLine[]): string {
  if (lines.length === 0) return 'The transcript is empty.';
  return lines.map((l) => `[${l.at.toISOString().slice(11, 16)} UTC] ${l.name}: ${l.text}`).join('\n');
}
