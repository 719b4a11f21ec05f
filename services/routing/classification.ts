import type { ClassificationRule, Conversation, RuleCondition, Workstream } from '../domain/index.js';

/** Where a work stream sends an item: the queue and the skills an agent should have. */
export interface Classification {
  queueId: string;
  skills: string[];
  /** The rule that matched; absent when the fallback queue caught the item. */
  ruleId?: string;
}

export type ClassifiableConversation = Pick<Conversation, 'channel' | 'context'>;

type Scalar = string | number | boolean;

/**
 * Reads a rule field (`channel`, `prechat.<question id>`, `context.<custom variable>`,
 * `visitor.<field>`) from the conversation. Unknown prefixes read as absent so a typo in a rule makes
 * it never match rather than match everything.
 */
export function readField(c: ClassifiableConversation, field: string): Scalar | undefined {
  if (field === 'channel') return c.channel;
  const dot = field.indexOf('.');
  if (dot < 0) return undefined;
  const scope = field.slice(0, dot);
  const key = field.slice(dot + 1);
  // Own properties only: a rule must not be able to read `__proto__` or `constructor`.
  const own = (o: object): Scalar | undefined =>
    Object.prototype.hasOwnProperty.call(o, key)
      ? ((o as Record<string, Scalar | undefined>)[key] ?? undefined)
      : undefined;
  switch (scope) {
    case 'prechat':
      return own(c.context.preChat);
    case 'context':
      return own(c.context.custom);
    case 'visitor':
      return own(c.context.visitor);
    default:
      return undefined;
  }
}

// Customers type pre-chat answers by hand, so text compares case- and space-insensitively;
// numbers and booleans compare by their string form, which is how pre-chat answers arrive anyway.
function norm(v: Scalar): string {
  return String(v).trim().toLowerCase();
}

export function conditionHolds(c: ClassifiableConversation, cond: RuleCondition): boolean {
  const actual = readField(c, cond.field);
  switch (cond.op) {
    case 'exists':
      // `value: false` asks for absence.
      return cond.value === false
        ? actual === undefined || actual === ''
        : actual !== undefined && actual !== '';
    case 'eq':
      return (
        actual !== undefined &&
        cond.value !== undefined &&
        !Array.isArray(cond.value) &&
        norm(actual) === norm(cond.value)
      );
    case 'neq':
      return (
        actual === undefined ||
        cond.value === undefined ||
        Array.isArray(cond.value) ||
        norm(actual) !== norm(cond.value)
      );
    case 'contains':
      return (
        actual !== undefined &&
        cond.value !== undefined &&
        !Array.isArray(cond.value) &&
        norm(actual).includes(norm(cond.value))
      );
    case 'in':
      return (
        actual !== undefined && Array.isArray(cond.value) && cond.value.some((v) => norm(v) === norm(actual))
      );
    default: {
      const unreachable: never = cond.op;
      return unreachable;
    }
  }
}

export function ruleMatches(c: ClassifiableConversation, rule: ClassificationRule): boolean {
  return rule.conditions.every((cond) => conditionHolds(c, cond));
}

/**
 * Rules run in `order` (lowest first, ties by position in the list); the first whose
 * conditions all hold picks the queue and skills; anything else goes to the fallback queue with no
 * skill requirement.
 */
export function classify(
  c: ClassifiableConversation,
  stream: Pick<Workstream, 'rules' | 'fallbackQueueId'>,
): Classification {
  const ordered = stream.rules
    .map((rule, i) => ({ rule, i }))
    .sort((a, b) => a.rule.order - b.rule.order || a.i - b.i);
  for (const { rule } of ordered) {
    if (ruleMatches(c, rule)) return { queueId: rule.queueId, skills: [...rule.skills], ruleId: rule.id };
  }
  return { queueId: stream.fallbackQueueId, skills: [] };
}
