// The scripted customers of the persona evaluation: who they are, what they want, and how they
// answer. Each reacts to what the bot actually says (see customer.ts), so the same population runs
// against any version of the bot and the figures compare.

export type PersonaKind =
  | 'self-service'
  | 'needs a person'
  | 'angry'
  | 'person first'
  | 'free-text choices'
  | 'typos'
  | 'spanish'
  | 'out of hours'
  | 'leaves mid-survey';

/**
 * What counts as done: the bot answered and the customer confirmed (`resolved`); the customer is
 * with an open team's queue (`agent`); a closed team has their message as a work item (`follow-up`);
 * they left and the conversation closed without anyone promised (`left`).
 */
export type Goal = 'resolved' | 'agent' | 'follow-up' | 'left';

export interface Persona {
  id: string;
  kind: PersonaKind;
  goal: Goal;
  /** When they write: a weekday morning (every team open) or a Saturday morning (billing closed). */
  when: 'weekday' | 'saturday';
  /** Messages they send before answering anything (the widget's form is up, they type anyway). */
  opening: string[];
  name: string;
  email: string;
  /** How they answer "What can we help you with?" the first time, and the exact choice after that. */
  topic: string;
  topicChoice: string;
  /** How they answer the optional "tell us more" question. */
  details?: string;
  /** What they ask the assistant when it asks how it can help. */
  question: string;
  /** What they say to an article: confirm it or not. */
  afterArticle: 'yes' | 'no';
  /** How they ask for a person when they want one. */
  askForPerson: string;
  /** Their first answer to the name question when it is not their name (they insist on a person). */
  instead?: string;
  /** Fill in the widget's form instead of typing. */
  useForm?: boolean;
  /** Closed team: what they pick. */
  closedChoice?: 'Leave a message' | 'E-mail me';
  /** They close the chat after this many messages of their own. */
  leaveAfter?: number;
  /** What they type first when the widget's form is up and they do not use it: their question, or their name. */
  startsWith?: 'question' | 'name';
  /** Their first message is a request for a person: they must be with an open queue within 4 turns. */
  personFirst?: boolean;
}

const base = {
  when: 'weekday' as const,
  opening: [] as string[],
  name: 'Dana Whitfield',
  email: 'dana@example.com',
  afterArticle: 'yes' as const,
  askForPerson: 'I want to talk to a person',
};

// One line per customer reads as a table.
// prettier-ignore
export const PERSONAS: Persona[] = [
  // --- answerable by self-service ---
  { ...base, id: 'router-light', kind: 'self-service', goal: 'resolved', topic: 'Wi-Fi & equipment', topicChoice: 'Wi-Fi & equipment', question: 'my router has a blinking red light' },
  { ...base, id: 'pay-bill', kind: 'self-service', goal: 'resolved', name: 'Lee Park', email: 'lee@example.com', topic: 'Billing', topicChoice: 'Billing', question: 'how do I pay my bill' },
  { ...base, id: 'slow-wifi-form', kind: 'self-service', goal: 'resolved', useForm: true, topic: 'Wi-Fi & equipment', topicChoice: 'Wi-Fi & equipment', question: 'my wifi is slow in the bedroom' },
  { ...base, id: 'wifi-password-first', kind: 'self-service', goal: 'resolved', opening: ['how do I change my wifi password?'], topic: 'Wi-Fi & equipment', topicChoice: 'Wi-Fi & equipment', question: 'how do I change my wifi password' },
  { ...base, id: 'autopay-form', kind: 'self-service', goal: 'resolved', useForm: true, name: 'Sam Ortiz', email: 'sam@example.com', topic: 'Billing', topicChoice: 'Billing', question: 'how do I set up autopay' },
  { ...base, id: 'moving', kind: 'self-service', goal: 'resolved', topic: 'Moving or new service', topicChoice: 'Moving or new service', question: 'I am moving to a new address next month, how do I move my service' },
  // --- needs a person after trying the bot ---
  { ...base, id: 'dropping-no', kind: 'needs a person', goal: 'agent', afterArticle: 'no', topic: 'Internet outage', topicChoice: 'Internet outage', question: 'my internet keeps dropping every evening', askForPerson: 'agent please' },
  { ...base, id: 'charged-twice', kind: 'needs a person', goal: 'agent', afterArticle: 'no', topic: 'Billing', topicChoice: 'Billing', question: 'I was charged twice this month', askForPerson: 'can I talk to someone' },
  { ...base, id: 'form-then-someone', kind: 'needs a person', goal: 'agent', useForm: true, afterArticle: 'no', topic: 'Wi-Fi & equipment', topicChoice: 'Wi-Fi & equipment', question: 'my mesh extender will not connect', askForPerson: 'can I talk to someone please' },
  { ...base, id: 'static-ip', kind: 'needs a person', goal: 'agent', afterArticle: 'no', topic: 'Other', topicChoice: 'Other', question: 'I need a static IP for my home server', askForPerson: 'I would like a representative' },
  // --- angry ---
  { ...base, id: 'furious-first', kind: 'angry', goal: 'agent', opening: ['This is absolutely terrible, the worst service ever, I am furious and disgusted!!!'], topic: 'Internet outage', topicChoice: 'Internet outage', question: 'my internet is down again', askForPerson: 'get me a person now' },
  { ...base, id: 'angry-mid-survey', kind: 'angry', goal: 'agent', instead: 'stop asking stupid questions, this is ridiculous and awful, I want a human NOW', topic: 'Internet outage', topicChoice: 'Internet outage', question: 'internet down', askForPerson: 'human NOW' },
  { ...base, id: 'overcharged-angry', kind: 'angry', goal: 'agent', topic: 'Billing', topicChoice: 'Billing', details: 'you overcharged me AGAIN, this is a disgusting scam, horrible company, I want a human', question: 'refund', askForPerson: 'human' },
  // --- asks for a person first ---
  { ...base, id: 'human-please', kind: 'person first', goal: 'agent', personFirst: true, opening: ['I want to talk to a human agent please'], topic: 'Internet outage', topicChoice: 'Internet outage', question: 'human', askForPerson: 'I want to talk to a human agent please' },
  { ...base, id: 'agent-one-word', kind: 'person first', goal: 'agent', personFirst: true, opening: ['agent'], topic: 'Wi-Fi & equipment', topicChoice: 'Wi-Fi & equipment', question: 'agent', askForPerson: 'agent' },
  { ...base, id: 'rep-about-bill', kind: 'person first', goal: 'agent', personFirst: true, opening: ['can I speak to a representative about my bill'], topic: 'Billing', topicChoice: 'Billing', question: 'representative', askForPerson: 'representative please' },
  { ...base, id: 'insists', kind: 'person first', goal: 'agent', personFirst: true, opening: ['human please'], instead: 'just get me a person', topic: 'Internet outage', topicChoice: 'Internet outage', question: 'person', askForPerson: 'just get me a person' },
  { ...base, id: 'moving-someone', kind: 'person first', goal: 'agent', personFirst: true, opening: ['I need to talk to someone about moving my service'], topic: 'Moving or new service', topicChoice: 'Moving or new service', question: 'moving', askForPerson: 'someone please' },
  // --- answers choices in free text ---
  { ...base, id: 'human-about-bill', startsWith: 'name', kind: 'free-text choices', goal: 'agent', topic: 'I want to talk to a human agent about my bill', topicChoice: 'Billing', question: 'billing', askForPerson: 'I want to talk to a human agent about my bill' },
  { ...base, id: 'internet-is-down', startsWith: 'name', kind: 'free-text choices', goal: 'agent', afterArticle: 'no', topic: 'my internet is down', topicChoice: 'Internet outage', question: 'my fiber light is off and nothing works', askForPerson: 'agent please' },
  { ...base, id: 'second-one', startsWith: 'name', kind: 'free-text choices', goal: 'resolved', topic: 'the second one', topicChoice: 'Billing', question: 'what are late fees and can I get a refund' },
  { ...base, id: 'router-thing', startsWith: 'name', kind: 'free-text choices', goal: 'resolved', topic: 'something with my router', topicChoice: 'Wi-Fi & equipment', question: 'how do I restart my router' },
  { ...base, id: 'thanks-i', startsWith: 'name', kind: 'free-text choices', goal: 'agent', topic: 'Internet outage', topicChoice: 'Internet outage', details: 'my internet is down since this morning, I want to talk to a human agent', question: 'human', askForPerson: 'human agent please' },
  { ...base, id: 'free-text-only', kind: 'free-text choices', goal: 'agent', startsWith: 'name', topic: 'I want to talk to a human agent about my bill', topicChoice: 'my bill, I told you, a human please', question: 'bill', askForPerson: 'a human about my bill' },
  // --- typos ---
  { ...base, id: 'typo-outage', startsWith: 'name', kind: 'typos', goal: 'agent', name: 'dana', topic: 'intenet outage', topicChoice: 'Internet outage', question: 'my internt is dwn', afterArticle: 'no', askForPerson: 'agnet please' },
  { ...base, id: 'typo-agent-first', kind: 'typos', goal: 'agent', personFirst: true, opening: ['I wnat to talk to an agnet'], topic: 'Wi-Fi & equipment', topicChoice: 'Wi-Fi & equipment', question: 'agnet', askForPerson: 'agnet' },
  { ...base, id: 'typo-biling', startsWith: 'name', kind: 'typos', goal: 'resolved', topic: 'biling', topicChoice: 'Billing', question: 'how do I pay my bil' },
  // --- Spanish ---
  { ...base, id: 'es-persona', kind: 'spanish', goal: 'agent', personFirst: true, name: 'Ana García', email: 'ana@example.com', opening: ['hola, quiero hablar con una persona'], topic: 'Internet caído', topicChoice: 'Internet outage', question: 'quiero hablar con una persona', askForPerson: 'quiero hablar con una persona' },
  { ...base, id: 'es-factura', kind: 'spanish', goal: 'agent', name: 'Luis Romero', email: 'luis@example.com', topic: 'problema con mi factura, quiero hablar con un agente', topicChoice: 'Billing', question: 'quiero hablar con un agente', askForPerson: 'quiero hablar con un agente' },
  { ...base, id: 'es-sin-internet', kind: 'spanish', goal: 'agent', name: 'Marta Díaz', email: 'marta@example.com', topic: 'no tengo internet desde ayer', topicChoice: 'Internet outage', question: 'no tengo internet desde ayer', afterArticle: 'no', askForPerson: 'necesito un asesor por favor' },
  { ...base, id: 'es-solo-espanol', kind: 'spanish', goal: 'agent', startsWith: 'name', name: 'Rosa Vega', email: 'rosa@example.com', topic: 'mi factura', topicChoice: 'es sobre la factura', question: 'quiero un agente', askForPerson: 'quiero un agente' },
  // --- out of hours (Saturday: billing closed, technical support open around the clock) ---
  { ...base, id: 'sat-billing-message', kind: 'out of hours', goal: 'follow-up', when: 'saturday', topic: 'Billing', topicChoice: 'Billing', details: 'I was charged twice this month', question: 'charged twice', askForPerson: 'I want to talk to a person', closedChoice: 'Leave a message' },
  { ...base, id: 'sat-billing-email', kind: 'out of hours', goal: 'follow-up', when: 'saturday', opening: ['I need a person about a refund'], topic: 'Billing', topicChoice: 'Billing', question: 'refund', askForPerson: 'agent', closedChoice: 'E-mail me' },
  { ...base, id: 'sat-outage', kind: 'out of hours', goal: 'agent', when: 'saturday', personFirst: true, opening: ['my internet is down, I need a person'], topic: 'Internet outage', topicChoice: 'Internet outage', question: 'down', askForPerson: 'agent' },
  { ...base, id: 'sat-pay', kind: 'out of hours', goal: 'resolved', when: 'saturday', topic: 'Billing', topicChoice: 'Billing', question: 'how do I pay my bill' },
  // --- leaves mid-survey ---
  { ...base, id: 'leaves-after-name', kind: 'leaves mid-survey', goal: 'left', leaveAfter: 1, topic: 'Billing', topicChoice: 'Billing', question: 'bill' },
  { ...base, id: 'leaves-after-question', kind: 'leaves mid-survey', goal: 'left', leaveAfter: 2, opening: ['is my area having an outage?'], topic: 'Internet outage', topicChoice: 'Internet outage', question: 'outage' },
];
