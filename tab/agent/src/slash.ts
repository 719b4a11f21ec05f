// Slash commands in the composer: the draft's first word picks the command, the rest is the query.
// A quick reply may also be looked for on the draft's last line, under words already typed, to go in
// at the command's place.

export type SlashCommand = 'q' | 'c' | 't' | 'tq' | 'kb';

export const SLASH_HELP: Record<SlashCommand, string> = {
  q: 'Quick replies',
  c: 'Consult a colleague',
  t: 'Transfer to an agent',
  tq: 'Transfer to a queue',
  kb: 'Search knowledge',
};

export interface ParsedSlash {
  command: SlashCommand;
  query: string;
  /** Where the command starts in the draft: what comes before it is the agent's own words. */
  start: number;
}

/**
 * `/tq billing` → { command: 'tq', query: 'billing', start: 0 }; `Sorry.\n/q wait` → a quick reply
 * looked for at 7; anything else → null (an ordinary message, " /q" and "see /q" included).
 */
export function parseSlash(draft: string): ParsedSlash | null {
  const m =
    /^\/(q|c|t|tq|kb)(?:\s+([\s\S]*))?$/i.exec(draft) ?? /(?<=\n)\/(q)(?:[^\S\n]+(.*))?$/i.exec(draft);
  if (!m) return null;
  return { command: m[1]!.toLowerCase() as SlashCommand, query: (m[2] ?? '').trim(), start: m.index };
}

/** Index after a key press in a list of `length` options, wrapping at both ends. */
export function moveIndex(
  current: number,
  key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End',
  length: number,
): number {
  if (length === 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return (current + 1 + length) % length;
    case 'ArrowUp':
      return current <= 0 ? length - 1 : current - 1;
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
  }
}

/** Case-insensitive filter on any of the fields, every word of the query must appear. */
export function matches(query: string, ...fields: Array<string | undefined>): boolean {
  const hay = fields.join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

// Braces around a name are a slot however the name is written (`{Case Number}`, `{case_number}`),
// as the server reads them (services/workspace/slots.ts); around code or punctuation they are text.
const BRACES = /\{([^{}\n]{1,64})\}/gu;
const SLOT_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_. -]*$/u;

function slotName(inner: string): string | null {
  const name = inner.trim();
  return SLOT_NAME.test(name) ? name : null;
}

const slotKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/gu, '');

/**
 * The slots still in a draft (`{caseNumber}`, `{Case Number}`), each once: what a quick reply could
 * not fill from the conversation and the agent has yet to type. The customer must never read one.
 */
export function openSlots(text: string): string[] {
  const names = Array.from(text.matchAll(BRACES), (m) => slotName(m[1]!)).filter((n) => n !== null);
  return [...new Set(names.map((n) => `{${n}}`))];
}

/** Where the first slot left to fill is (from `from` on), to select it: the agent types over it. */
export function firstSlotRange(text: string, from = 0): { start: number; end: number } | null {
  for (const m of text.matchAll(BRACES)) {
    if (m.index < from || slotName(m[1]!) === null) continue;
    return { start: m.index, end: m.index + m[0].length };
  }
  return null;
}

/** The server fills slots; this covers a reply it sent unfilled. */
export function fillSlots(text: string, customerName: string | undefined, agentName: string): string {
  return text.replace(BRACES, (whole, inner: string) => {
    const key = slotKey(slotName(inner) ?? '');
    return key === 'customername' ? (customerName ?? 'there') : key === 'agentname' ? agentName : whole;
  });
}
