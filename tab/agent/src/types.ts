// The agent API's shapes as the tab reads them (docs/agent-api.md). Only what the tab shows is typed;
// the server may send more.

export type Role = 'agent' | 'supervisor' | 'admin';
export type Visibility = 'public' | 'internal';
export type SentimentLevel =
  | 'very negative'
  | 'negative'
  | 'slightly negative'
  | 'neutral'
  | 'slightly positive'
  | 'positive'
  | 'very positive';
export type AlertThreshold = 'off' | 'slightly negative' | 'negative' | 'very negative';

export interface QueueRef {
  id: string;
  name: string;
}

export interface AgentListItem {
  id: string;
  name: string;
  roles: Role[];
  queues: QueueRef[];
}

export interface Me {
  id: string;
  name: string;
  email?: string;
  roles: Role[];
  presence: string;
  presenceLabel?: string;
  chosenPresence?: string;
  capacity: { total: number; used: number };
  sentimentThreshold?: AlertThreshold;
  queues: Array<QueueRef & { optedIn: boolean }>;
  authMode?: 'dev' | 'teams';
  /** The presences in which routing offers me customers; in any other but offline I can be consulted. */
  offersWhen?: string[];
}

export interface Presence {
  id: string;
  label: string;
  base?: string;
}

export interface Sentiment {
  level: SentimentLevel;
  score?: number;
}

export interface WorkItem {
  id: string;
  status: string;
  customerId?: string;
  customerName?: string;
  channel?: string;
  queueId?: string;
  queueName?: string;
  agentId?: string;
  subject?: string;
  firstMessage?: string;
  waitingSeconds?: number;
  createdAt?: string;
  lastActivityAt?: string;
  sentiment?: Sentiment;
  disposition?: string;
  /** While the customer's chat window is disconnected: since when (the server's time). */
  customerAwaySince?: string;
  /** Who closed it, once closed: a chat a supervisor closed is not its agent's to reopen. */
  closedBy?: string;
}

/** What the session list shows under an open session, as the session knows it. */
export interface SessionMarks {
  /** Since when the customer has waited for this agent's answer (null: nothing unanswered). */
  awaitingSince: string | null;
  /** Since when the customer's chat window has been disconnected (null: it is not). */
  customerAwaySince: string | null;
}

/** A conversation the agent is in now, and as what. */
export interface SessionItem extends WorkItem {
  mode: 'primary' | 'consult' | 'monitor';
}

export interface Participant {
  agentId: string;
  name?: string;
  mode: 'primary' | 'consult' | 'monitor';
  joinedAt?: string;
  leftAt?: string;
}

export interface ConversationDetails extends WorkItem {
  requiredSkills?: string[];
  workstreamId?: string;
  startedAt?: string;
  queuedAt?: string;
  acceptedAt?: string;
  participants?: Participant[];
  context?: {
    preChat?: Record<string, unknown>;
    portalNavigation?: Array<Record<string, unknown>>;
    visitor?: Record<string, unknown>;
    custom?: Record<string, unknown>;
  };
  caseId?: string;
  sentimentHistory?: Array<Sentiment & { at: string }>;
  /** Who ended the chat (moved it to wrap-up), once it is in wrap-up or closed. */
  endedBy?: 'customer' | 'bot' | 'agent' | 'supervisor' | 'system';
  /** What the signed-in agent may do in it now (the server's own rules). */
  can?: Permissions;
}

export interface Permissions {
  writePublic: boolean;
  writeInternal: boolean;
  consult: boolean;
  transfer: boolean;
  supervise: boolean;
}

export interface OfferReason {
  method?: string;
  presence?: string;
  freeUnits?: number;
  cost?: number;
  skills?: { required?: string[]; matched?: string[]; match?: string };
  idleSeconds?: number;
  summary?: string;
}

export interface Offer {
  offerId: string;
  conversationId: string;
  agentId?: string;
  expiresAt: string;
  customerName?: string;
  channel?: string;
  queueId?: string;
  queueName?: string;
  waitingSeconds?: number;
  firstMessage?: string;
  reason?: OfferReason;
  /** The agent who had it before a transfer; null when it came from the queue. */
  transferredFrom?: string | null;
  /** While the waiting customer's chat window is disconnected: since when. */
  customerAwaySince?: string;
  /** A transfer's handover note and who wrote it. */
  handoverNote?: { text: string; by: string };
  /** A transferred chat's latest customer message. */
  lastCustomerMessage?: string;
}

export interface Message {
  id: string;
  seq?: number;
  from: 'customer' | 'bot' | 'agent' | 'supervisor' | 'system';
  authorName?: string;
  text: string;
  visibility: Visibility;
  at: string;
  /** What the customer sent with it: files kept here (`fileId`) or links elsewhere (`url`). */
  attachments?: MessageAttachment[];
}

export interface MessageAttachment {
  name: string;
  contentType: string;
  fileId?: string;
  url?: string;
}

export interface QuickReply {
  id: string;
  title: string;
  text: string;
  filled?: string;
}

export interface Person {
  id: string;
  name: string;
  roles?: Role[];
  presence?: string;
  queues?: Array<QueueRef | string>;
}

/** A person a consult, transfer or assignment could name, as the server judges them now. */
export interface Candidate {
  id: string;
  name: string;
  roles: Role[];
  presence: string;
  /** The presence in words, as Teams shows it ("Do not disturb"). */
  presenceLabel: string;
  queues: QueueRef[];
  /** Whether the server would accept the action for them now; `reason` says why not. */
  eligible: boolean;
  reason?: string;
}

export interface QueueInfo {
  id: string;
  name: string;
  workstreamId?: string;
  open?: boolean;
}

export interface KnowledgeHit {
  id: string;
  title: string;
  snippet?: string;
  score?: number;
  url?: string;
}

/** What one action of a macro did (`POST /conversations/:id/macros/:macroId/run`). */
export interface MacroResult {
  action: string;
  outcome: 'done' | 'skipped' | 'failed';
  message: string;
  case?: { id: string; number: string; title: string };
  query?: string;
  articles?: KnowledgeHit[];
  draft?: { to: string; subject: string; body: string; mailto: string; unfilled: string[] };
}

export interface KnowledgeArticle {
  id: string;
  title: string;
  body?: string;
  content?: string;
  text?: string;
  url?: string;
  /** Written for agents only: not sent to the customer, and its public page is not shown. */
  agentsOnly?: boolean;
  [k: string]: unknown;
}

export interface Note {
  id?: string;
  text: string;
  at?: string;
  createdAt?: string;
  authorName?: string;
}

export interface CaseInfo {
  id: string;
  title: string;
  status?: string;
  priority?: string;
  type?: string;
  description?: string;
  createdAt?: string;
  number?: string;
}

export interface CustomerInfo {
  id?: string;
  name?: string;
  email?: string;
  phone?: string;
  kind?: string;
  account?: string;
  [k: string]: unknown;
}

export interface CustomerSummary {
  customer: CustomerInfo;
  conversation?: {
    channel?: string;
    status?: string;
    queueName?: string;
    workstreamName?: string;
    requiredSkills?: string[];
    startedAt?: string;
    acceptedAt?: string;
    waitingSeconds?: number;
  };
  preChat?: Array<{ id: string; question: string; answer: string }>;
  portalNavigation?: Array<{ kind?: string; title: string; url?: string; at?: string }>;
  visitor?: Record<string, unknown>;
  additionalContext?: Array<{ key: string; value: unknown }>;
  recentCases: CaseInfo[];
  currentCase?: CaseInfo;
}

/** An entry of `GET /customers/:id/timeline`, with what it says of the entry besides its title. */
export interface TimelineEntry {
  kind: 'conversation' | 'case' | 'note';
  id: string;
  title: string;
  at: string;
  status?: string;
  authorName?: string;
  agentName?: string;
  disposition?: string;
  rating?: number;
  caseNumber?: string;
  conversationId?: string;
  caseId?: string;
}

export interface TimelinePage {
  items: TimelineEntry[];
  /** Where the older entries start (`before`); absent once the oldest is in. */
  nextCursor?: string;
}

export interface AssistSuggestion {
  kind: 'article' | 'case';
  id: string;
  title: string;
  score?: number;
  reason: string;
}

export interface ScriptStep {
  id: string;
  kind: 'text' | 'macro' | 'script';
  text?: string;
  label?: string;
  done?: boolean;
  macroId?: string;
  scriptId?: string;
  steps?: ScriptStep[];
}

export interface AgentScript {
  id: string;
  name: string;
  steps: ScriptStep[];
}

export interface ConversationSummary {
  customer?: CustomerInfo | string;
  conversation?: { text: string; highlights?: Array<string | { kind: string; text: string }> };
  sentiment?: Sentiment | SentimentLevel;
}

export interface SupervisorConversation {
  id: string;
  status: string;
  queueId?: string;
  queueName?: string;
  agentId?: string;
  agentName?: string;
  /** The presence of the agent holding it, and that presence in Teams' words (null: nobody holds it). */
  agentPresence?: string | null;
  agentPresenceLabel?: string | null;
  customerName?: string;
  channel?: string;
  waitingSeconds?: number;
  /** Since an agent took it (null while it waits). */
  handleSeconds?: number | null;
  sentiment?: SentimentLevel | Sentiment;
  /** Sentiment alerts raised on the conversation (a count). */
  alerts?: number;
  /** The latest of them: the sentiment it fell to, and when. */
  lastAlert?: { level: SentimentLevel; at: string } | null;
  /** Since when the customer's chat window has been disconnected (null: it is not). */
  customerAwaySince?: string | null;
}

export interface QueueRealtime {
  queueId: string;
  queueName?: string;
  agentsAvailable: number;
  agentsOnContact: number;
  agentsAfterContactWork: number;
  contactsInQueue: number;
  oldestContactAgeSeconds: number;
  /** False while the queue is outside its hours (then nobody counts as with room for it). */
  open?: boolean;
}

/** One frame of the live stream. */
export interface StreamEvent {
  seq: number;
  type: string;
  conversationId?: string;
  [k: string]: unknown;
}
