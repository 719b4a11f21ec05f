import type { Agent, Case, Conversation, Customer, Queue } from '../domain/index.js';

// Quick replies, macros and e-mail drafts carry slots such as `{customerName}`. A slot is filled only
// from what the conversation really knows; one it cannot fill stays visible in the text (and is
// listed), so the agent sees what to type before sending rather than a silent gap.
//
// Whoever writes a template writes slot names as they read them: `{Case Number}` and
// `{case_number}` are `{caseNumber}`. Braces around a name the conversation does not know are a
// slot too (listed, never silently sent); braces around code or punctuation (`{"a":1}`) are text.
// The tab's `openSlots` (tab/agent/src/slash.ts) reads braces the same way.

const BRACES = /\{([^{}\n]{1,64})\}/gu;
const SLOT_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_. -]*$/u;

/** The slot `{inner}` names, as written but for the spaces around it; null when it names none. */
export function slotName(inner: string): string | null {
  const name = inner.trim();
  return SLOT_NAME.test(name) ? name : null;
}

/** One key for the ways a slot's name is written: no case, no spaces, underscores or hyphens. */
function slotKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/gu, '');
}

export type SlotValues = Readonly<Record<string, string | undefined>>;

export interface Filled {
  text: string;
  /** Slots left as written, in order of first appearance. */
  unfilled: string[];
}

export function fillSlots(template: string, values: SlotValues): Filled {
  const known = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) {
    const v = value?.trim();
    if (v && !known.has(slotKey(name))) known.set(slotKey(name), v);
  }
  const unfilled: string[] = [];
  const text = template.replace(BRACES, (whole, inner: string) => {
    const name = slotName(inner);
    if (name === null) return whole;
    const exact = Object.hasOwn(values, name) ? values[name]?.trim() : undefined;
    const value = exact || known.get(slotKey(name));
    if (value) return value;
    if (!unfilled.includes(name)) unfilled.push(name);
    return whole;
  });
  return { text, unfilled };
}

/**
 * The name the conversation service gives a customer who never told us theirs. "Hi Guest" reads
 * worse than a visible `{customerName}` the agent can fill in, so it counts as unknown.
 */
const PLACEHOLDER_NAMES = new Set(['guest']);

function firstWord(name: string | undefined): string | undefined {
  return name?.trim().split(/\s+/u)[0];
}

export interface SlotSources {
  conversation: Conversation;
  customer: Customer | null;
  agent: Pick<Agent, 'name' | 'email'>;
  currentCase: Case | null;
  queue: Pick<Queue, 'name'> | null;
}

/** Every slot a template may use, from the conversation and the people in it. */
export function slotValues(s: SlotSources): Record<string, string | undefined> {
  const name =
    s.customer && !PLACEHOLDER_NAMES.has(s.customer.name.trim().toLowerCase())
      ? s.customer.name
      : s.conversation.context.preChat.name;
  const values: Record<string, string | undefined> = {
    customerName: name,
    customerFirstName: firstWord(name),
    customerEmail: s.customer?.email ?? s.conversation.context.preChat.email,
    customerPhone: s.customer?.phone,
    accountName: s.customer?.accountName,
    agentName: s.agent.name,
    agentFirstName: firstWord(s.agent.name),
    agentEmail: s.agent.email,
    caseNumber: s.currentCase?.number,
    caseTitle: s.currentCase?.title,
    queueName: s.queue?.name,
    channel: s.conversation.channel,
    conversationId: s.conversation.id,
  };
  // Pre-chat answers and custom context by key: `{preChat.topic}`, `{context.plan}`.
  for (const [k, v] of Object.entries(s.conversation.context.preChat)) values[`preChat.${k}`] = v;
  for (const [k, v] of Object.entries(s.conversation.context.custom)) values[`context.${k}`] = String(v);
  return values;
}
