// A conversation as a plain-text file the agent keeps or attaches to a ticket elsewhere.
import type { Message } from './types.js';

const WHO: Record<Message['from'], string> = {
  customer: 'Customer',
  bot: 'Virtual assistant',
  agent: 'Agent',
  supervisor: 'Supervisor',
  system: 'System',
};

export interface TranscriptHeader {
  customerName?: string;
  channel?: string;
  queueName?: string;
  conversationId: string;
}

/**
 * One entry per message, oldest first, with the time in UTC (the file outlives the agent's time zone),
 * who wrote it, whether it was internal (agents and supervisors only: said on every such line, so a
 * part copied out of the file keeps the mark) and the files it carried. A message's further lines are
 * indented: only an entry starts at the margin, so a customer cannot write a line that reads as an
 * agent's entry (or an internal one).
 */
export function transcriptText(header: TranscriptHeader, messages: readonly Message[]): string {
  const lines = [
    `Conversation ${header.conversationId}`,
    ...(header.customerName ? [`Customer: ${plain(header.customerName)}`] : []),
    ...(header.channel ? [`Channel: ${header.channel}`] : []),
    ...(header.queueName ? [`Queue: ${plain(header.queueName)}`] : []),
    'Times are UTC. Lines marked (internal) were never shown to the customer.',
    '',
  ];
  const ordered = [...messages].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.at.localeCompare(b.at));
  for (const m of ordered) {
    const when = m.at.slice(0, 19).replace('T', ' ');
    const who = plain(m.authorName ?? WHO[m.from]).replace(/\n/g, ' ');
    const mark = m.visibility === 'internal' ? ' (internal)' : '';
    const files = (m.attachments ?? []).map((a) => `[file: ${plain(a.name)}]`);
    const body = [plain(m.text), ...files].filter(Boolean).join(' ').replace(/\n/g, '\n    ');
    lines.push(`[${when}] ${who}${mark}: ${body}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * What a customer or agent typed, safe to `cat` in a terminal: control characters (an escape that
 * clears the screen or moves the cursor, a bell) are dropped, tabs and line breaks kept; a carriage
 * return, which would write the next words over the line, breaks it.
 */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what it removes
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

/**
 * The file's name: the customer and the day, in characters every file system takes. Letters keep
 * their marks: the vowel signs of Devanagari or Tamil, the accents of a name typed decomposed.
 */
export function transcriptFileName(customerName: string | undefined, at: Date): string {
  const who =
    (customerName ?? 'customer').replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'customer';
  return `transcript-${who}-${at.toISOString().slice(0, 10)}.txt`;
}
