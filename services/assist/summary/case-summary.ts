import type { Case, CasePriority, CaseType, Customer } from '../../domain/index.js';
import { scoreSentiment } from '../sentiment/scorer.js';
import { summarizeConversation, type SummaryMessage } from './conversation-summary.js';
import { hasCue } from './cues.js';

export interface CaseSummary {
  title: string;
  customer: string;
  subject: string;
  product: string;
  priority: CasePriority;
  caseType: CaseType;
  description: string;
}

export interface CaseSummaryInput {
  messages: readonly SummaryMessage[];
  customer: Pick<Customer, 'name'> & Partial<Pick<Customer, 'accountName'>>;
  /** When the conversation already has a case, its fields win over the heuristics. */
  existingCase?: Pick<Case, 'title' | 'subject' | 'product' | 'priority' | 'caseType' | 'description'>;
}

// Products of the demo tenant's knowledge base, with the words that point to each; the first with
// the most hits wins, 'General' when none.
const PRODUCT_CUES: ReadonlyArray<[string, readonly string[]]> = [
  [
    'Billing',
    ['bill*', 'charge*', 'payment*', 'pay', 'refund*', 'invoice*', 'late fee', 'autopay', 'card', 'credit'],
  ],
  [
    'Wi-Fi',
    [
      'wifi',
      'wi-fi',
      'wireless',
      'extender*',
      'mesh',
      'signal',
      'password',
      'parental',
      'buffering',
      'streaming',
    ],
  ],
  [
    'Fiber Internet',
    [
      'internet',
      'outage',
      'router',
      'ont',
      'fiber',
      'speed',
      'connection',
      'down',
      'installation',
      'technician',
      'port',
      'ip',
    ],
  ],
  [
    'Account',
    ['account', 'cancel', 'move', 'moving', 'plan', 'upgrade', 'downgrade', 'email', 'return', 'equipment'],
  ],
];

const URGENT_CUES = [
  'emergency',
  'medical',
  'alarm',
  'elderly',
  'life support',
  'business is down',
  'losing money',
  'losing business',
];
const ESCALATION_CUES = [
  'third time',
  'fourth time',
  'manager',
  'cancel',
  'complaint',
  'unacceptable',
  'lawyer',
  'regulator',
];
const PROBLEM_TYPE_CUES = [
  'not working',
  "doesn't work",
  "isn't working",
  "can't",
  'cannot',
  'no internet',
  'down',
  'outage',
  'slow',
  'drop*',
  'disconnect*',
  'blinking',
  'buffering',
  'error',
  'broken',
  'charged twice',
  'overcharged',
  'wrong',
  'missing',
];
const REQUEST_TYPE_CUES = [
  'cancel',
  'upgrade',
  'downgrade',
  'move',
  'moving',
  'reschedule',
  'change my',
  'set up',
  'setup',
  'return',
  'refund',
  "i'd like",
  'i would like',
  'i want',
  'please send',
  'add',
];

export function deriveProduct(text: string): string {
  let best = 'General';
  let bestHits = 0;
  for (const [product, cues] of PRODUCT_CUES) {
    const hits = hasCue(text, cues);
    if (hits > bestHits) {
      best = product;
      bestHits = hits;
    }
  }
  return best;
}

/** "How do I change my password?" asks how; "can I cancel?" asks for something. */
const QUESTION_OPENERS = ['how', 'what', 'where', 'when', 'which', 'why', 'who', 'is', 'are', 'does', 'do'];

function isQuestion(text: string): boolean {
  const trimmed = text.trim();
  const first = trimmed.split(/[^a-z']+/u, 1)[0] ?? '';
  return trimmed.endsWith('?') && QUESTION_OPENERS.includes(first);
}

export function deriveCaseType(text: string): CaseType {
  if (hasCue(text, PROBLEM_TYPE_CUES) > 0) return 'problem';
  const sentences = text.split(/(?<=[.!?])\s+|\n+/u).filter((t) => t.trim() !== '');
  if (sentences.some((t) => !isQuestion(t) && hasCue(t, REQUEST_TYPE_CUES) > 0)) return 'request';
  if (sentences.some(isQuestion)) return 'question';
  return hasCue(text, REQUEST_TYPE_CUES) > 0 ? 'request' : 'question';
}

/** Urgent for safety or business loss, high for an angry or repeat contact, low for a plain question. */
export function derivePriority(
  text: string,
  customerTexts: readonly string[],
  caseType: CaseType,
): CasePriority {
  if (hasCue(text, URGENT_CUES) > 0) return 'urgent';
  const worst = Math.min(0, ...customerTexts.map((t) => scoreSentiment(t).score));
  if (worst <= -0.65 || hasCue(text, ESCALATION_CUES) > 0) return 'high';
  if (caseType === 'question' && worst > -0.2) return 'low';
  return 'normal';
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/gu, ' ').trim();
  if (oneLine.length <= max) return oneLine.replace(/[.!?]+$/u, '');
  const cut = oneLine.slice(0, oneLine.lastIndexOf(' ', max - 1));
  return `${cut}…`;
}

const SUBJECT_BY_TYPE: Record<CaseType, string> = {
  problem: 'Service problem',
  request: 'Service request',
  question: 'Question',
};

/** The case form's fields filled from the conversation (the Copilot pane's "case summary"). */
export function summarizeCase(input: CaseSummaryInput): CaseSummary {
  const summary = summarizeConversation(input.messages);
  const customerTexts = input.messages
    .filter((m) => m.author === 'customer' && m.visibility !== 'internal')
    .map((m) => m.text);
  const lower = customerTexts.join('\n').toLowerCase();
  const existing = input.existingCase;
  const caseType = existing?.caseType ?? deriveCaseType(lower);
  const product = existing?.product ?? deriveProduct(lower);
  return {
    title: existing?.title ?? shorten(summary.issue[0] ?? customerTexts[0] ?? 'Customer conversation', 100),
    customer: input.customer.accountName
      ? `${input.customer.name} (${input.customer.accountName})`
      : input.customer.name,
    subject: existing?.subject ?? `${product} – ${SUBJECT_BY_TYPE[caseType]}`,
    product,
    priority: existing?.priority ?? derivePriority(lower, customerTexts, caseType),
    caseType,
    description: existing?.description || summary.text,
  };
}
