import { isOpen } from '../../services/routing/index.js';
import { freshMemory, nextMove, type BotTurn } from './customer.js';
import type { Goal, Persona } from './personas.js';

/** The slice of the running app the harness reads to see whether a persona reached its goal. */
export interface AppUnderTest {
  /** Base URL of the server (the Direct Line channel lives under /v3/directline). */
  url: string;
  /** Resolves when every activity and relay delivery started so far is done. */
  idle(): Promise<void>;
  /** The Switchboard conversation behind a Direct Line conversation, once the bot opened one. */
  conversationFor(directLineConversationId: string): Promise<ConversationView | null>;
  queueHours(queueId: string): Promise<Parameters<typeof isOpen>[0] | null>;
  /** Moves the app's clock (personas write on a weekday or on a Saturday). */
  setNow(at: Date): void;
  now(): Date;
  /** Extra headers for starting a conversation (a Direct Line secret, where one is required). */
  startHeaders?: Record<string, string>;
}

export interface ConversationView {
  status: string;
  queueId?: string;
  botOutcome?: string;
  followUp?: unknown;
}

export interface PersonaResult {
  id: string;
  kind: Persona['kind'];
  goal: Goal;
  reached: boolean;
  /** Customer messages sent when the goal was first seen. */
  turnsToGoal: number | null;
  turns: number;
  resolvedByBot: boolean;
  escalated: boolean;
  /** Bot messages sent more than twice in the conversation, and the most often one was sent. */
  promptsRepeated: number;
  maxRepeats: number;
  /** For customers whose first message asks for a person: handed to an open queue within four turns. */
  personWithinFour?: boolean;
  transcript: string[];
}

export const WEEKDAY_MORNING = new Date('2026-12-02T15:00:00Z'); // Wednesday 10:00 in New York
export const SATURDAY_MORNING = new Date('2026-12-05T15:00:00Z'); // Saturday 10:00 in New York
const MAX_TURNS = 16;

interface DirectLineActivity {
  type: string;
  from: { id: string; role?: string };
  text?: string;
  name?: string;
  suggestedActions?: { actions: Array<{ value?: unknown; title?: string }> };
}

async function dl(
  app: AppUnderTest,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  extra?: Record<string, string>,
) {
  const res = await fetch(`${app.url}/v3/directline${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...extra,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (
    res.status === 404 &&
    (json.error as { code?: string } | undefined)?.code === 'directline.conversation_ended'
  )
    throw new ChatEnded();
  if (!res.ok)
    throw new Error(`Direct Line ${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * The channel says the chat has ended (the customer closed it, or the bot did): its tokens stop at
 * once, so the customer's client reads and sends nothing more, and neither does the persona.
 */
class ChatEnded extends Error {}

async function untilEnded<T>(step: () => Promise<T>, ended: T): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ChatEnded) return ended;
    throw err;
  }
}

async function goalReached(app: AppUnderTest, goal: Goal, c: ConversationView | null): Promise<boolean> {
  if (!c) return false;
  switch (goal) {
    case 'resolved':
      return c.botOutcome === 'resolved';
    case 'agent': {
      if (!['waiting', 'offered', 'active'].includes(c.status) || !c.queueId || c.followUp) return false;
      return isOpen((await app.queueHours(c.queueId)) ?? undefined, app.now());
    }
    case 'follow-up':
      return c.status === 'waiting' && c.followUp !== undefined && c.followUp !== null;
    case 'left':
      return (c.status === 'closed' || c.status === 'abandoned') && c.botOutcome !== 'escalated';
  }
}

/** One scripted customer, from opening the chat to their goal (or giving up), over Direct Line. */
export async function runPersona(app: AppUnderTest, p: Persona): Promise<PersonaResult> {
  app.setNow(p.when === 'saturday' ? SATURDAY_MORNING : WEEKDAY_MORNING);
  const userId = `dl_persona_${p.id}`;
  const generated = await dl(
    app,
    'POST',
    '/tokens/generate',
    undefined,
    { user: { id: userId } },
    app.startHeaders,
  );
  const started = await dl(app, 'POST', '/conversations', generated.token as string, {
    user: { id: userId },
  });
  const conversationId = started.conversationId as string;
  const token = started.token as string;
  let watermark = '';
  let ended = false;
  const transcript: string[] = [];
  const botTexts: string[] = [];

  async function botTurn(): Promise<BotTurn> {
    await app.idle();
    const page = await untilEnded(
      () =>
        dl(
          app,
          'GET',
          `/conversations/${conversationId}/activities${watermark ? `?watermark=${watermark}` : ''}`,
          token,
        ),
      null,
    );
    if (!page) {
      ended = true;
      return { texts: [], buttons: [], events: [] };
    }
    watermark = String(page.watermark ?? watermark);
    const turn: BotTurn = { texts: [], buttons: [], events: [] };
    for (const a of page.activities as DirectLineActivity[]) {
      if (a.from.id === userId) continue;
      if (a.type === 'event' && a.name) {
        turn.events.push(a.name);
        transcript.push(`bot: [${a.name}]`);
      }
      if (a.type === 'message' && a.text) {
        turn.texts.push(a.text);
        botTexts.push(a.text);
        transcript.push(`bot: ${a.text.split('\n')[0]}`);
        const buttons = a.suggestedActions?.actions.map((x) => String(x.value ?? x.title ?? '')) ?? [];
        if (buttons.length) turn.buttons = buttons;
      }
    }
    return turn;
  }

  /** Posts as the customer; a chat that has ended takes nothing more. */
  async function send(activity: Record<string, unknown>): Promise<void> {
    const path = `/conversations/${conversationId}/activities`;
    const body = { ...activity, from: { id: userId } };
    ended = await untilEnded(() => dl(app, 'POST', path, token, body).then(() => false), true);
  }

  const memory = freshMemory(p);
  let turnsToGoal: number | null = null;
  let everEscalated = false;
  let turn = await botTurn();
  for (let i = 0; i < MAX_TURNS; i++) {
    const c = await app.conversationFor(conversationId);
    if (c?.botOutcome === 'escalated' || c?.followUp) everEscalated = true;
    if (await goalReached(app, p.goal, c)) {
      turnsToGoal = memory.sent;
      break;
    }
    if (ended) break;
    const move = nextMove(p, memory, turn);
    if (move.kind === 'wait') break;
    if (move.kind === 'leave') {
      await send({ type: 'endOfConversation' });
      transcript.push('customer: (closes the chat)');
      // The channel ends the chat at once: whatever the bot says after it reaches no one.
      await botTurn();
      const after = await app.conversationFor(conversationId);
      if (await goalReached(app, p.goal, after)) turnsToGoal = memory.sent;
      break;
    }
    memory.sent++;
    if (move.kind === 'form') {
      transcript.push(`customer: [form] ${JSON.stringify(move.answers)}`);
      await send({ type: 'message', value: { preChat: move.answers } });
    } else {
      transcript.push(`customer: ${move.text}`);
      await send({ type: 'message', text: move.text });
    }
    turn = await botTurn();
  }
  const final = await app.conversationFor(conversationId);
  if (final?.botOutcome === 'escalated' || final?.followUp) everEscalated = true;
  if (turnsToGoal === null && (await goalReached(app, p.goal, final))) turnsToGoal = memory.sent;

  // The customer closes the chat at the end, so the next persona finds the queues as they were.
  if (!ended) {
    await send({ type: 'endOfConversation' });
    await app.idle();
  }

  const counts = new Map<string, number>();
  for (const t of botTexts) counts.set(t, (counts.get(t) ?? 0) + 1);
  const repeats = [...counts.values()];
  return {
    id: p.id,
    kind: p.kind,
    goal: p.goal,
    reached: turnsToGoal !== null,
    turnsToGoal,
    turns: memory.sent,
    resolvedByBot: final?.botOutcome === 'resolved',
    escalated: everEscalated,
    promptsRepeated: repeats.filter((n) => n > 2).length,
    maxRepeats: Math.max(0, ...repeats),
    personWithinFour: p.personFirst ? turnsToGoal !== null && turnsToGoal <= 4 : undefined,
    transcript,
  };
}

export interface PersonaReport {
  personas: number;
  goalsReached: number;
  /** Closed by the bot without a person / all personas. */
  botResolutionRate: number;
  /** Handed to a person (queue or left message) / all personas. */
  escalationRate: number;
  meanTurnsToGoal: number | null;
  /** Bot messages sent more than twice in one conversation, summed over the personas. */
  promptsRepeated: number;
  maxRepeats: number;
  deadEnds: string[];
  personFirstWithinFour: { ok: number; of: number };
  byKind: Record<string, { personas: number; reached: number }>;
}

export function summarize(results: PersonaResult[]): PersonaReport {
  const reached = results.filter((r) => r.reached);
  const turns = reached.map((r) => r.turnsToGoal ?? 0);
  const byKind: PersonaReport['byKind'] = {};
  for (const r of results) {
    const k = (byKind[r.kind] ??= { personas: 0, reached: 0 });
    k.personas++;
    if (r.reached) k.reached++;
  }
  const first = results.filter((r) => r.personWithinFour !== undefined);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    personas: results.length,
    goalsReached: reached.length,
    botResolutionRate: round(results.filter((r) => r.resolvedByBot).length / results.length),
    escalationRate: round(results.filter((r) => r.escalated).length / results.length),
    meanTurnsToGoal: turns.length ? round(turns.reduce((a, b) => a + b, 0) / turns.length) : null,
    promptsRepeated: results.reduce((a, r) => a + r.promptsRepeated, 0),
    maxRepeats: Math.max(0, ...results.map((r) => r.maxRepeats)),
    deadEnds: results.filter((r) => !r.reached).map((r) => r.id),
    personFirstWithinFour: { ok: first.filter((r) => r.personWithinFour).length, of: first.length },
    byKind,
  };
}
