/** Portal navigation as the agent sees it in the conversation context. */
export type NavKind = 'page' | 'search' | 'article';

export interface NavEntry {
  kind: NavKind;
  title: string;
  url: string;
  /** ISO timestamp. */
  at: string;
}

/** Stored entries carry a sequence so the chat knows which ones it has already sent. */
export interface StoredNavEntry extends NavEntry {
  seq: number;
}

export const MAX_NAV_ENTRIES = 50;
/**
 * How far back the agent may see what the visitor did before the chat. Older entries are another
 * visit's, perhaps another person's on a shared browser: they are dropped when storage is written
 * and never sent.
 */
export const MAX_NAV_AGE_MS = 30 * 60_000;
const MAX_TEXT = 300;
const KINDS: readonly NavKind[] = ['page', 'search', 'article'];

/** Adds `entry`, dropping what is older than 30 minutes before it (the sequence goes on regardless). */
export function appendNav(
  list: readonly StoredNavEntry[],
  entry: NavEntry,
  max = MAX_NAV_ENTRIES,
): StoredNavEntry[] {
  const seq = (list.at(-1)?.seq ?? 0) + 1;
  return recentNav([...list, { ...entry, seq }], Date.parse(entry.at)).slice(-max);
}

/** The entries of the 30 minutes up to `now` (epoch ms). */
export function recentNav(list: readonly StoredNavEntry[], now: number): StoredNavEntry[] {
  return list.filter((e) => now - Date.parse(e.at) <= MAX_NAV_AGE_MS);
}

/** Entries recorded after `lastSentSeq`, without the bookkeeping field. */
export function unsentNav(list: readonly StoredNavEntry[], lastSentSeq: number): NavEntry[] {
  return list.filter((e) => e.seq > lastSentSeq).map(publicEntry);
}

export function publicEntry({ kind, title, url, at }: StoredNavEntry): NavEntry {
  return { kind, title, url, at };
}

export function lastSeq(list: readonly StoredNavEntry[]): number {
  return list.at(-1)?.seq ?? 0;
}

/** Parses what is in storage, dropping anything malformed (another script may share the origin). */
export function parseNav(raw: unknown): StoredNavEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: StoredNavEntry[] = [];
  for (const item of raw) {
    const e = toEntry(item, null, '');
    const seq = (item as { seq?: unknown })?.seq;
    if (e && typeof seq === 'number' && Number.isFinite(seq)) out.push({ ...e, seq });
  }
  return out.slice(-MAX_NAV_ENTRIES);
}

/**
 * Validates an entry from the host (`Switchboard.track`) or from storage. Host input is untrusted:
 * unknown kinds, non-http URLs and oversized strings are rejected or clipped.
 */
export function toEntry(input: unknown, now: Date | null, pageUrl: string): NavEntry | null {
  if (!input || typeof input !== 'object') return null;
  const { kind, title, url, at } = input as Record<string, unknown>;
  if (typeof kind !== 'string' || !KINDS.includes(kind as NavKind)) return null;
  const resolved = safeHttpUrl(typeof url === 'string' && url ? url : pageUrl, pageUrl || undefined);
  if (!resolved) return null;
  const when = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : now?.toISOString();
  if (!when) return null;
  return {
    kind: kind as NavKind,
    title: clip(typeof title === 'string' ? title : ''),
    url: clip(resolved, 2000),
    at: when,
  };
}

/**
 * The page's address without its query and fragment: those carry password-reset and OAuth tokens,
 * session ids and search terms that are none of an agent's business (and must not be stored).
 */
function safeHttpUrl(raw: string, base?: string): string | null {
  try {
    const u = new URL(raw, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : null;
  } catch {
    return null;
  }
}

function clip(s: string, max = MAX_TEXT): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
