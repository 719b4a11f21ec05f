import type { Deps } from '../../domain/deps.js';
import type {
  Agent,
  AgentScript,
  Case,
  Conversation,
  Customer,
  KnowledgeArticle,
  Macro,
  Message,
  Note,
  Queue,
  QuickReply,
  Session,
  Workstream,
} from '../../domain/entities.js';
import type { StoredEvent } from '../../domain/events.js';
import type { DocumentStore, IndexSpec } from '../port.js';
import { AgentScripts } from './agent-scripts.js';
import { Agents } from './agents.js';
import { CASE_NUMBER_COUNTER, CASE_NUMBER_START, Cases } from './cases.js';
import { Conversations } from './conversations.js';
import { Counters } from './counters.js';
import { Customers } from './customers.js';
import { EVENT_SEQ_COUNTER, Events, ONCE } from './events.js';
import { KnowledgeArticles } from './knowledge-articles.js';
import { Macros } from './macros.js';
import { Markers } from './markers.js';
import { Messages } from './messages.js';
import { Notes } from './notes.js';
import { Files } from './files.js';
import { Queues } from './queues.js';
import { QuickReplies } from './quick-replies.js';
import { ScriptProgressRecords, type ScriptProgress } from './script-progress.js';
import { Sessions } from './sessions.js';
import { Workstreams } from './workstreams.js';

export interface Repositories {
  readonly store: DocumentStore;
  conversations: Conversations;
  messages: Messages;
  events: Events;
  agents: Agents;
  queues: Queues;
  workstreams: Workstreams;
  customers: Customers;
  cases: Cases;
  knowledgeArticles: KnowledgeArticles;
  quickReplies: QuickReplies;
  agentScripts: AgentScripts;
  macros: Macros;
  notes: Notes;
  sessions: Sessions;
  markers: Markers;
  files: Files;
  scriptProgress: ScriptProgressRecords;
}

/** Collection names, fixed: they are the on-disk file names and the MongoDB collection names. */
export const COLLECTIONS = {
  conversations: 'conversations',
  messages: 'messages',
  events: 'events',
  agents: 'agents',
  queues: 'queues',
  workstreams: 'workstreams',
  customers: 'customers',
  cases: 'cases',
  knowledgeArticles: 'knowledge_articles',
  quickReplies: 'quick_replies',
  agentScripts: 'agent_scripts',
  macros: 'macros',
  notes: 'notes',
  sessions: 'sessions',
  counters: 'counters',
  markers: 'markers',
  files: 'files',
  scriptProgress: 'script_progress',
} as const;

const byId: IndexSpec = { keys: { id: 1 }, unique: true };

/** Every index the repositories' queries rely on; created (idempotently) at start-up. */
export const INDEXES: Record<keyof typeof COLLECTIONS, IndexSpec[]> = {
  conversations: [
    byId,
    { keys: { status: 1 } },
    { keys: { queueId: 1 } },
    { keys: { agentId: 1 } },
    { keys: { customerId: 1 } },
    { keys: { status: 1, queueId: 1, 'timestamps.queuedAt': 1 } },
    { keys: { 'timestamps.createdAt': 1 } },
  ],
  messages: [
    byId,
    // No index on activityId: a message is found by the id derived from its activity (see Messages).
    { keys: { conversationId: 1, seq: 1 }, unique: true },
  ],
  events: [
    { keys: { seq: 1 }, unique: true },
    // What may be said once (a message's announcement) is stored once, by whichever instance is first.
    { keys: { [ONCE]: 1 }, unique: true, sparse: true },
    { keys: { type: 1, at: 1 } },
    { keys: { conversationId: 1 }, sparse: true },
    { keys: { agentId: 1 }, sparse: true },
  ],
  agents: [
    byId,
    { keys: { aadObjectId: 1 }, unique: true, sparse: true },
    { keys: { email: 1 } },
    { keys: { queueIds: 1 } },
  ],
  queues: [byId],
  workstreams: [byId, { keys: { channel: 1 } }],
  customers: [byId, { keys: { 'identities.userId': 1 } }, { keys: { email: 1 }, sparse: true }],
  cases: [
    byId,
    { keys: { number: 1 }, unique: true },
    { keys: { customerId: 1 } },
    { keys: { conversationIds: 1 } },
  ],
  knowledgeArticles: [byId],
  quickReplies: [byId],
  agentScripts: [byId],
  macros: [byId],
  notes: [
    byId,
    { keys: { conversationId: 1 }, sparse: true },
    { keys: { caseId: 1 }, sparse: true },
    { keys: { customerId: 1 }, sparse: true },
  ],
  sessions: [byId, { keys: { conversationId: 1 } }, { keys: { agentId: 1, presentedAt: 1 } }],
  counters: [byId],
  markers: [byId],
  files: [byId, { keys: { owner: 1 } }],
  scriptProgress: [byId],
};

/** Builds every repository on one document store and creates indexes and counters first. */
export interface RepositoryOptions {
  /** How long `events.readAfter` waits behind a missing sequence number (default 2 s). */
  eventGapGraceMs?: number;
}

export async function createRepositories(
  store: DocumentStore,
  deps: Deps,
  options: RepositoryOptions = {},
): Promise<Repositories> {
  for (const [key, specs] of Object.entries(INDEXES)) {
    const collection = store.collection(COLLECTIONS[key as keyof typeof COLLECTIONS]);
    for (const spec of specs) await collection.ensureIndex(spec);
  }
  const c = <T extends object>(key: keyof typeof COLLECTIONS) => store.collection<T>(COLLECTIONS[key]);
  const counters = new Counters(c('counters'));
  await counters.ensure(EVENT_SEQ_COUNTER, 0);
  await counters.ensure(CASE_NUMBER_COUNTER, CASE_NUMBER_START);

  const conversationsCol = c<Conversation>('conversations');
  const agentsCol = c<Agent>('agents');
  const queuesCol = c<Queue>('queues');
  const workstreamsCol = c<Workstream>('workstreams');
  const customersCol = c<Customer>('customers');
  const casesCol = c<Case>('cases');
  const macrosCol = c<Macro>('macros');
  const quickRepliesCol = c<QuickReply>('quickReplies');

  const conversations = new Conversations(
    conversationsCol,
    { customers: customersCol, workstreams: workstreamsCol, queues: queuesCol, agents: agentsCol },
    deps,
  );
  return {
    store,
    conversations,
    messages: new Messages(c<Message>('messages'), conversations, deps),
    events: new Events(c<StoredEvent>('events'), counters, deps, {
      ...(options.eventGapGraceMs !== undefined ? { gapGraceMs: options.eventGapGraceMs } : {}),
    }),
    agents: new Agents(agentsCol, queuesCol, deps),
    queues: new Queues(queuesCol, deps),
    workstreams: new Workstreams(workstreamsCol, queuesCol, deps),
    customers: new Customers(customersCol, deps),
    cases: new Cases(casesCol, counters, { customers: customersCol, conversations: conversationsCol }, deps),
    knowledgeArticles: new KnowledgeArticles(c<KnowledgeArticle>('knowledgeArticles'), deps),
    quickReplies: new QuickReplies(quickRepliesCol, deps),
    agentScripts: new AgentScripts(
      c<AgentScript>('agentScripts'),
      { macros: macrosCol, workstreams: workstreamsCol, queues: queuesCol },
      deps,
    ),
    macros: new Macros(macrosCol, quickRepliesCol, deps),
    notes: new Notes(
      c<Note>('notes'),
      { conversations: conversationsCol, cases: casesCol, customers: customersCol, agents: agentsCol },
      deps,
    ),
    sessions: new Sessions(
      c<Session>('sessions'),
      { conversations: conversationsCol, agents: agentsCol, queues: queuesCol },
      deps,
    ),
    markers: new Markers(c('markers')),
    files: new Files(c('files'), deps),
    scriptProgress: new ScriptProgressRecords(c<ScriptProgress>('scriptProgress'), deps),
  };
}
