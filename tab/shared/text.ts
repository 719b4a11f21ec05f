/**
 * Bot and agent text as the customer sees it, for every browser surface that shows it (the chat
 * widget, the agent tab's transcript): plain runs, links and inline emphasis. Only http(s) targets
 * become links, and callers build elements from the parts: message text is never parsed as HTML.
 */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A Markdown link `[label](https://…)` or a bare URL.
const LINK = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"')\]]+)/g;

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    const index = m.index ?? 0;
    let label = m[1] ?? m[3] ?? '';
    let href = m[2] ?? m[3] ?? '';
    let tail = '';
    if (m[3]) {
      // Sentence punctuation right after a bare URL belongs to the sentence.
      const trail = /[.,;:!?]+$/.exec(href);
      if (trail) {
        tail = trail[0];
        href = href.slice(0, -tail.length);
        label = href;
      }
    }
    const safe = safeHref(href);
    if (index > last) parts.push({ kind: 'text', text: text.slice(last, index) });
    parts.push(safe ? { kind: 'link', text: label, href: safe } : { kind: 'text', text: m[0] });
    if (tail) parts.push({ kind: 'text', text: tail });
    last = index + m[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return mergeText(parts);
}

export function safeHref(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function mergeText(parts: TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (const p of parts) {
    const prev = out.at(-1);
    if (p.kind === 'text' && prev?.kind === 'text') prev.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** A run of text with the emphasis Bot Framework markdown gives it. */
export type Span = TextPart & { bold?: true; italic?: true };

// **bold**, *italic*, _italic_ (no lookbehind: older Safari cannot parse it, and one syntax error
// would break the whole bundle). Groups 2 and 4 capture the character before a single marker.
const EMPHASIS =
  /\*\*([^*\n]+?)\*\*|(^|[^\w*])\*([^*\s][^*\n]*?)\*(?![\w*])|(^|[^\w])_([^_\s][^_\n]*?)_(?!\w)/g;

/**
 * Bot messages are markdown by default (Bot Framework `textFormat`); the widget honours the inline
 * part of it — links first, so URLs with `_` or `*` stay intact, then emphasis in the plain runs.
 */
export function splitMarkdown(text: string): Span[] {
  const out: Span[] = [];
  for (const part of splitLinks(text)) {
    if (part.kind === 'link') {
      out.push(part);
      continue;
    }
    let last = 0;
    for (const m of part.text.matchAll(EMPHASIS)) {
      const prefix = m[2] ?? m[4] ?? '';
      const start = (m.index ?? 0) + prefix.length;
      if (start > last) out.push({ kind: 'text', text: part.text.slice(last, start) });
      if (m[1] !== undefined) out.push({ kind: 'text', text: m[1], bold: true });
      else out.push({ kind: 'text', text: m[3] ?? m[5] ?? '', italic: true });
      last = (m.index ?? 0) + m[0].length;
    }
    if (last < part.text.length) out.push({ kind: 'text', text: part.text.slice(last) });
  }
  return out;
}
