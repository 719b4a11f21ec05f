/** Longest extract of an article the bot shows in chat before "Did that help?". */
export const EXTRACT_CHARS = 280;

/** The article's first paragraph, cut at a word boundary: enough to answer, short enough for a chat bubble. */
export function makeExtract(body: string, limit = EXTRACT_CHARS): string {
  const first = body.split(/\n\s*\n/).find((p) => p.trim()) ?? '';
  const text = first.replace(/\s+/g, ' ').trim();
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.]$/, '')}…`;
}
