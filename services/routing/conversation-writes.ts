import type { Conversation } from '../domain/index.js';
import type { Collection, Update } from '../store/index.js';

/** Fields the conversation document carries that routing never writes. */
const NOT_MINE = new Set(['id', 'version', 'lastMessageSeq', 'seenActivityIds', 'lastActivityAt']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** The update that turns `before` into `next`: changed top-level fields only, plus the version bump. */
export function diffUpdate(before: Conversation, next: Conversation): Update {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(next)]);
  for (const k of keys) {
    if (NOT_MINE.has(k)) continue;
    const b = (before as unknown as Record<string, unknown>)[k];
    const n = (next as unknown as Record<string, unknown>)[k];
    if (n === undefined) {
      if (b !== undefined) $unset[k] = '';
    } else if (!same(b, n)) $set[k] = n;
  }
  return {
    ...(Object.keys($set).length ? { $set } : {}),
    ...(Object.keys($unset).length ? { $unset } : {}),
    // Messages move lastActivityAt without a version change; a step must never move it back.
    $max: { lastActivityAt: next.lastActivityAt },
    $inc: { version: 1 },
  };
}

/**
 * Writes a state-machine step as ONE conditional write (CONVENTIONS §13): only if the stored
 * version is still the one the step was computed from, and only the fields the step changed — so
 * the message sequence the conversation service advances concurrently is never overwritten.
 * Returns the stored conversation, or null when someone else wrote first.
 *
 * This is the routing hot path's version of `Conversations.replaceIf`: it skips re-validating the
 * whole document and its references on every offer, because the state machine produced it and the
 * router checked the agent and queue it refers to.
 */
export async function writeStep(
  conversations: Collection<Conversation>,
  before: Conversation,
  next: Conversation,
): Promise<Conversation | null> {
  const doc = await conversations.findOneAndUpdate(
    { id: before.id, version: before.version },
    diffUpdate(before, next),
  );
  if (!doc) return null;
  const out = { ...doc } as Conversation & { seenActivityIds?: unknown };
  delete out.seenActivityIds;
  return out;
}
