import {
  BASE_PRESENCE_LABELS,
  freeUnits,
  PICK_PRESENCES,
  type Agent,
  type BasePresence,
  type Conversation,
  type Workstream,
} from '../domain/index.js';

// Whom a conversation can be handed to, person by person, in the words the pickers show: the same
// tests consult (conversation-actions.ts), transfer and assign (routing's agent-steps.ts: pick and
// transfer) make when the action is sent, so a picker offers nobody the server then refuses.

export type Handover = 'consult' | 'transfer' | 'assign';

/** Presences from the most to the least reachable: the order a picker lists people in. */
const PRESENCE_ORDER: readonly BasePresence[] = ['available', 'busy', 'busy-dnd', 'away', 'offline'];

export type HandoverPerson = Pick<
  Agent,
  'id' | 'name' | 'queueIds' | 'capacity' | 'usedUnits' | 'presence' | 'chosenPresence' | 'presenceLabel'
>;

export interface HandoverWorld {
  /** The conversation's work stream: its presences and cost decide transfers. */
  stream: Pick<Workstream, 'capacityCost' | 'allowedPresences'>;
  /** The work streams each queue serves. */
  queueStreams: ReadonlyMap<string, readonly string[]>;
  queueName?: string;
}

/** `leaveOut`: the picker does not list them at all (they are not of the conversation's queue). */
export type HandoverVerdict = { ok: true } | { ok: false; reason: string; leaveOut?: boolean };

/** The presence as colleagues see it, in Teams' words (Busy while full, a custom name as chosen). */
export function presenceWords(a: Pick<Agent, 'presence' | 'chosenPresence' | 'presenceLabel'>): string {
  if (a.presence !== a.chosenPresence) return BASE_PRESENCE_LABELS[a.presence];
  return a.presenceLabel ?? BASE_PRESENCE_LABELS[a.chosenPresence];
}

const either = (presences: readonly BasePresence[]) =>
  presences.map((p) => BASE_PRESENCE_LABELS[p]).join(' or ');

function roomFor(a: HandoverPerson, w: HandoverWorld): HandoverVerdict {
  return freeUnits(a) >= w.stream.capacityCost
    ? { ok: true }
    : { ok: false, reason: `No room for another chat (${a.usedUnits} of ${a.capacity} units in use)` };
}

function transferVerdict(
  a: HandoverPerson,
  c: Pick<Conversation, 'queueId' | 'workstreamId'>,
  w: HandoverWorld,
  outsideIsLeftOut: boolean,
): HandoverVerdict {
  const servesStream = a.queueIds.some((q) => w.queueStreams.get(q)?.includes(c.workstreamId));
  if (c.queueId && !servesStream) {
    return { ok: false, reason: 'In no queue that takes this kind of chat', leaveOut: outsideIsLeftOut };
  }
  if (!w.stream.allowedPresences.includes(a.chosenPresence)) {
    return {
      ok: false,
      reason: `A transfer goes to someone ${either(w.stream.allowedPresences)}`,
    };
  }
  return roomFor(a, w);
}

export function handoverVerdict(
  kind: Handover,
  a: HandoverPerson,
  c: Pick<Conversation, 'status' | 'agentId' | 'queueId' | 'workstreamId'>,
  w: HandoverWorld,
): HandoverVerdict {
  if (a.id === c.agentId) return { ok: false, reason: 'It is already theirs', leaveOut: true };
  switch (kind) {
    case 'consult':
      // Anyone signed in may be consulted, whatever else they are doing: a consult is no customer
      // and takes no capacity. Offline is the one refusal (nobody there to answer).
      return a.chosenPresence === 'offline'
        ? { ok: false, reason: 'Only someone signed in (not Offline) can be consulted' }
        : { ok: true };
    case 'transfer':
      return transferVerdict(a, c, w, false);
    case 'assign': {
      if (c.status !== 'waiting') return transferVerdict(a, c, w, true);
      if (!c.queueId || !a.queueIds.includes(c.queueId)) {
        return { ok: false, reason: `Not in ${w.queueName ?? 'its queue'}`, leaveOut: true };
      }
      if (!PICK_PRESENCES.includes(a.chosenPresence)) {
        return { ok: false, reason: 'Assign a waiting chat to someone signed in (not Offline)' };
      }
      return roomFor(a, w);
    }
  }
}

/** Those who can take it first, then by presence (Available first), then by name. */
export function byReachability<T extends { person: HandoverPerson; verdict: HandoverVerdict }>(
  a: T,
  b: T,
): number {
  return (
    Number(b.verdict.ok) - Number(a.verdict.ok) ||
    PRESENCE_ORDER.indexOf(a.person.presence) - PRESENCE_ORDER.indexOf(b.person.presence) ||
    a.person.name.localeCompare(b.person.name)
  );
}
