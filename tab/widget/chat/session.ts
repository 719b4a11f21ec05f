/**
 * What survives a page load: the session (so the loader knows a chat is ongoing and the chat can
 * reconnect) and a copy of the transcript (so history shows at once, before the network answers).
 */
import type { StoredSession } from '../shared/bridge.js';
import { KEYS, readJson, writeJson, type KeyValueStore } from '../shared/storage.js';
import type { Activity } from './activity.js';
import { isUnacknowledged } from './viewmodel.js';

/** Enough for a long support chat without letting one conversation fill the origin's quota. */
export const MAX_TRANSCRIPT = 300;

interface StoredTranscript {
  conversationId: string;
  activities: Activity[];
}

export function loadSession(store: KeyValueStore): StoredSession | null {
  const s = readJson<StoredSession>(store, KEYS.session);
  if (!s || typeof s.conversationId !== 'string' || typeof s.token !== 'string') return null;
  return { ...s, navSeq: Number(s.navSeq) || 0, open: s.open === true };
}

export function saveSession(store: KeyValueStore, session: StoredSession): void {
  writeJson(store, KEYS.session, session);
}

export function clearSession(store: KeyValueStore): void {
  store.removeItem(KEYS.session);
  store.removeItem(KEYS.transcript);
}

/**
 * The chat is over: nothing of it stays for whoever uses this browser next, nor the pages and
 * searches that went with it (a next chat sends only what comes after).
 */
export function endSession(store: KeyValueStore): void {
  clearSession(store);
  store.removeItem(KEYS.navigation);
}

export function loadTranscript(store: KeyValueStore, conversationId: string): Activity[] {
  const t = readJson<StoredTranscript>(store, KEYS.transcript);
  return t?.conversationId === conversationId && Array.isArray(t.activities) ? t.activities : [];
}

/**
 * Leaves out typing and `unechoed`: ids whose stored form is not known yet (the stream brings them
 * back from the watermark). Messages not acknowledged yet stay, as typed, so that a reload sends
 * them again under their ids rather than losing them — all but files, which storage cannot hold.
 */
export function saveTranscript(
  store: KeyValueStore,
  conversationId: string,
  activities: Activity[],
  unechoed: ReadonlySet<string> = new Set(),
): void {
  const kept = activities.filter(
    (a) =>
      a.type !== 'typing' && !(a.id && unechoed.has(a.id)) && !(isUnacknowledged(a) && a.attachments?.length),
  );
  writeJson(store, KEYS.transcript, { conversationId, activities: kept.slice(-MAX_TRANSCRIPT) });
}

/** A plain-text transcript for the visitor to keep. */
export function transcriptText(
  title: string,
  items: ReadonlyArray<{
    kind: string;
    sender?: string;
    text?: string;
    timestamp?: string;
    files?: ReadonlyArray<{ name: string }>;
  }>,
): string {
  const lines = [`${title} — chat transcript`, ''];
  for (const item of items) {
    if (item.kind === 'message') {
      const when = item.timestamp ? new Date(item.timestamp).toLocaleString() : '';
      // Files are named, so the transcript says something was sent even without a caption.
      const said = [item.text ?? '', ...(item.files ?? []).map((f) => `[file: ${f.name}]`)];
      lines.push(`[${when}] ${item.sender}: ${said.filter(Boolean).join(' ')}`.replace('[] ', ''));
    } else if (item.kind === 'notice') lines.push(`— ${item.text} —`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The transcript's file name, by the customer's own calendar: its lines are dated in local time,
 * and a file named by the UTC date would hold, say in Auckland, lines of the day after its name.
 */
export function transcriptFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `chat-transcript-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.txt`;
}
