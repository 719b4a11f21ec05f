// The domain's entities as plain data. Ids are strings chosen by the domain (`deps.newId()`);
// the store keeps its own `_id` out of sight. Dates are `Date` so aggregation pipelines can do date
// arithmetic on them in both MongoDB and mingo.

export type Role = 'agent' | 'supervisor' | 'admin';

/** Bot Framework channel ids we route on; any other channel id is carried as a plain string. */
export type ChannelId = 'webchat' | 'directline' | 'msteams' | (string & {});

export type BasePresence = 'available' | 'busy' | 'busy-dnd' | 'away' | 'offline';

/** The base presences as Teams names them to people. */
export const BASE_PRESENCE_LABELS: Record<BasePresence, string> = {
  available: 'Available',
  busy: 'Busy',
  'busy-dnd': 'Do not disturb',
  away: 'Away',
  offline: 'Offline',
};

export interface CustomPresence {
  name: string;
  base: BasePresence;
}

export interface Skill {
  name: string;
  /** 1 (basic) … 10 (expert). */
  proficiency: number;
}

export type SentimentThreshold = 'off' | 'slightly negative' | 'negative' | 'very negative';

export interface Agent {
  id: string;
  /** AAD object id, the key Teams SSO tokens map to. */
  aadObjectId?: string;
  name: string;
  email: string;
  roles: Role[];
  queueIds: string[];
  /** Queues the agent opted out of for now (still a member; routing offers them nothing from these). */
  optedOutQueueIds?: string[];
  skills: Skill[];
  /** Total capacity units (default 100). */
  capacity: number;
  /** Units held by items currently assigned; reserved with a conditional write. */
  usedUnits: number;
  /** Items currently assigned (any work stream). */
  activeItems: number;
  /** What the agent shows now. */
  presence: BasePresence;
  /** The label shown when a custom presence is chosen, e.g. "In training" (base Away). */
  presenceLabel?: string;
  /** What the agent chose; `presence` differs only while the system holds them Busy at full capacity. */
  chosenPresence: BasePresence;
  lastAssignedAt?: Date;
  lastItemEndedAt?: Date;
  sentimentThreshold: SentimentThreshold;
  /** Serialized Bot Framework conversation reference for proactive Teams messages (opaque to services). */
  teamsConversationRef?: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Why routing offered an item to this agent (shown with the offer, kept on `conversation.offered`). */
export interface OfferReason {
  method: AssignmentMethod;
  presence: BasePresence;
  /** Free capacity units before this item. */
  freeUnits: number;
  /** Units this item takes. */
  cost: number;
  skills: { required: string[]; matched: string[]; match: 'exact' | 'closest' | 'none' };
  /** Seconds since the agent's last item ended (or was assigned); null when never. */
  idleSeconds: number | null;
  /** The customer came back to the agent who served them last (the stream's `returnToLastAgentHours`). */
  returning?: true;
  /** One human sentence. */
  summary: string;
}

export type ConditionOp = 'eq' | 'neq' | 'contains' | 'in' | 'exists';

export interface RuleCondition {
  /** `channel`, `prechat.<question id>`, `context.<custom variable>`, `visitor.<field>`. */
  field: string;
  op: ConditionOp;
  value?: string | number | boolean | Array<string | number | boolean>;
}

export interface ClassificationRule {
  id: string;
  name: string;
  /** Lower runs first; the first rule whose conditions all hold wins. */
  order: number;
  conditions: RuleCondition[];
  queueId: string;
  skills: string[];
}

export interface SurveyQuestion {
  id: string;
  /** The form's label ("Your name"). */
  prompt: string;
  /**
   * The same question worded for a chat that asks it one message at a time ("What's your name?"):
   * a bare label read as a chat message sounds like a form field, not a question.
   */
  chatPrompt?: string;
  kind: 'text' | 'email' | 'choice';
  choices?: string[];
  required: boolean;
}

export interface Workstream {
  id: string;
  name: string;
  channel: ChannelId;
  /** Capacity units one item of this stream takes from an agent. */
  capacityCost: number;
  offerTimeoutSeconds: number;
  autoAccept: boolean;
  allowedPresences: BasePresence[];
  rules: ClassificationRule[];
  fallbackQueueId: string;
  inactivityCloseMinutes: number;
  /**
   * How long an agent's capacity stays held for a chat of this stream once it is in wrap-up (0: it is
   * freed when the chat ends); absent, until the agent closes it. An agent who leaves a wrap-up open
   * otherwise takes no more customers for as long as it stays open.
   */
  wrapUpHoldMinutes?: number;
  /**
   * A customer who comes back within this many hours is offered first to the agent who served them
   * last in this stream, when that agent is free for it (otherwise routing as usual): they need not
   * tell their story again. Absent or 0: no such preference.
   */
  returnToLastAgentHours?: number;
  preChatSurvey: SurveyQuestion[];
  createdAt: Date;
  updatedAt: Date;
}

export type AssignmentMethod = 'highest-capacity' | 'round-robin' | 'least-active';

export interface WeeklyHours {
  /** 0 = Sunday … 6 = Saturday, in the queue's time zone. */
  day: number;
  /** "HH:MM" local time. */
  open: string;
  close: string;
}

export interface OperatingHours {
  timeZone: string;
  weekly: WeeklyHours[];
  /** "YYYY-MM-DD" local dates on which the queue is closed all day. */
  holidays: string[];
}

export type OverflowAction = { type: 'transfer'; queueId: string } | { type: 'end'; message: string };

export type OverflowRule =
  | { when: 'size'; limit: number; action: OverflowAction }
  | { when: 'wait'; limitSeconds: number; action: OverflowAction }
  | { when: 'closed'; action: OverflowAction };

export interface Queue {
  id: string;
  name: string;
  workstreamIds: string[];
  /** Higher number = served first when an agent belongs to several queues. */
  priority: number;
  assignmentMethod: AssignmentMethod;
  skillMatching: 'exact' | 'closest';
  operatingHours?: OperatingHours;
  overflow: OverflowRule[];
  createdAt: Date;
  updatedAt: Date;
}

export interface Customer {
  id: string;
  kind: 'contact' | 'account';
  name: string;
  email?: string;
  phone?: string;
  accountName?: string;
  /** Channel identities that map to this customer, e.g. `{ channel: 'webchat', userId: 'dl_…' }`. */
  identities: Array<{ channel: ChannelId; userId: string }>;
  createdAt: Date;
  updatedAt: Date;
}

export type CasePriority = 'low' | 'normal' | 'high' | 'urgent';
export type CaseType = 'question' | 'problem' | 'request';

export interface Case {
  id: string;
  /** Human-readable number, e.g. CAS-01042. */
  number: string;
  customerId: string;
  title: string;
  subject: string;
  product: string;
  priority: CasePriority;
  caseType: CaseType;
  description: string;
  status: 'active' | 'resolved' | 'cancelled';
  conversationIds: string[];
  /** The agent who opened it (cases from before it was kept, and the demo's, have none). */
  createdBy?: string;
  /** The agent answerable for it: who opened it, by default. */
  ownerId?: string;
  /** The agent who changed it last. */
  modifiedBy?: string;
  /** How it was resolved, while it is (the history keeps it after a reactivation). */
  resolution?: string;
  /** Why it was cancelled, while it is. */
  cancelReason?: string;
  /** What was done to it, by whom and when, oldest first; the latest `CASE_HISTORY_KEPT` only. */
  history?: CaseHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

export type CaseEditableField = 'title' | 'description' | 'priority' | 'caseType' | 'product';

export type CaseHistoryEntry = {
  at: Date;
  agentId: string;
} & (
  | { action: 'opened'; conversationId?: string }
  | { action: 'linked'; conversationId: string }
  | { action: 'edited'; fields: CaseEditableField[] }
  | { action: 'resolved'; text: string }
  | { action: 'cancelled'; text: string }
  | { action: 'reactivated' }
);

export interface KnowledgeArticle {
  id: string;
  title: string;
  keywords: string[];
  /** Plain text with blank-line paragraphs. */
  body: string;
  product: string;
  /** A draft (false) is seen by nobody but its editors; absent means published. */
  published?: boolean;
  /** Who may read it: customers (the bot, the public page, and agents) or agents only; absent means customers. */
  audience?: KnowledgeAudience;
  createdAt: Date;
  updatedAt: Date;
}

export type KnowledgeAudience = 'customers' | 'agents';

export interface QuickReply {
  id: string;
  title: string;
  /** May hold slots such as `{customerName}` and `{agentName}`. */
  text: string;
  tags: string[];
  createdAt: Date;
}

export type MacroAction =
  | { type: 'create-case'; title: string; caseType: CaseType; priority: CasePriority }
  | { type: 'open-kb-search'; query: string }
  | { type: 'draft-email'; to: string; subject: string; body: string }
  | { type: 'send-quick-reply'; quickReplyId: string }
  | { type: 'set-field'; field: string; value: string };

export interface Macro {
  id: string;
  name: string;
  actions: MacroAction[];
  createdAt: Date;
}

export type ScriptStep =
  | { id: string; kind: 'text'; text: string }
  | { id: string; kind: 'macro'; label: string; macroId: string }
  | { id: string; kind: 'script'; label: string; scriptId: string };

export interface AgentScript {
  id: string;
  name: string;
  workstreamIds: string[];
  /**
   * The queues whose conversations this script is for (as a Dynamics session template's script
   * rule on the queue): among its work streams' scripts, a conversation gets one of its queue's
   * first. None: a script for any queue of its work streams.
   */
  queueIds?: string[];
  steps: ScriptStep[];
  createdAt: Date;
}

export interface Note {
  id: string;
  conversationId?: string;
  caseId?: string;
  customerId?: string;
  authorId: string;
  text: string;
  createdAt: Date;
}

export type ConversationStatus =
  'bot' | 'waiting' | 'offered' | 'active' | 'wrap-up' | 'closed' | 'abandoned';

export interface PortalNavigationEntry {
  kind: 'page' | 'search' | 'article';
  title: string;
  url?: string;
  at: Date;
}

export interface VisitorDetails {
  browser?: string;
  os?: string;
  language?: string;
  device?: string;
  /**
   * Signed in as verified by Switchboard itself. A page's own say-so never sets it: anyone can
   * script the widget, so that claim is kept apart in `reportedAuthenticated`.
   */
  authenticated: boolean;
  /** What the host page reported about the visitor being signed in (unverified). */
  reportedAuthenticated?: boolean;
  /**
   * Who the customer was proven to be (`authenticated` is then true). `by` says who vouched:
   * `site`, a token the site's server signed (its own id for the customer, the name and e-mail it
   * knows them by; the default when absent); `microsoft-teams`, the Bot Connector's signed word
   * for a Teams user (their Entra object id, tenant and display name).
   */
  verified?: VerifiedCustomer;
}

export interface VerifiedCustomer {
  by?: 'site' | 'microsoft-teams';
  id: string;
  name?: string;
  email?: string;
  tenantId?: string;
}

export interface ConversationContext {
  preChat: Record<string, string>;
  portalNavigation: PortalNavigationEntry[];
  visitor: VisitorDetails;
  custom: Record<string, string | number | boolean>;
  /**
   * Keys of `custom` whose values the host page reported (an account id, "VIP"): anyone can script
   * the widget, so agents see them as the page's word, not as facts Switchboard checked.
   */
  reportedCustomKeys?: string[];
}

export type ParticipantMode = 'primary' | 'consult' | 'monitor';

export interface Participant {
  agentId: string;
  mode: ParticipantMode;
  joinedAt: Date;
  leftAt?: Date;
}

/** The seven sentiment levels, worst to best; the index is the level's rank. */
export const SENTIMENT_LEVELS = [
  'very negative',
  'negative',
  'slightly negative',
  'neutral',
  'slightly positive',
  'positive',
  'very positive',
] as const;
export type SentimentLevel = (typeof SENTIMENT_LEVELS)[number];
/** The levels below neutral: a customer a supervisor should look at. */
export const NEGATIVE_SENTIMENT_LEVELS: readonly SentimentLevel[] = [
  'very negative',
  'negative',
  'slightly negative',
];

export interface SentimentReading {
  /** −1 … 1. */
  score: number;
  level: SentimentLevel;
  at: Date;
}

export interface ConversationTimestamps {
  createdAt: Date;
  /** When the bot handed the conversation to routing (absent for conversations that never had a bot). */
  escalatedAt?: Date;
  /** Start of the current wait in queue (reset by a transfer). */
  queuedAt?: Date;
  offeredAt?: Date;
  acceptedAt?: Date;
  wrapUpAt?: Date;
  closedAt?: Date;
  abandonedAt?: Date;
  reopenedAt?: Date;
}

export interface Conversation {
  id: string;
  channel: ChannelId;
  customerId: string;
  workstreamId: string;
  queueId?: string;
  requiredSkills: string[];
  context: ConversationContext;
  status: ConversationStatus;
  participants: Participant[];
  /** The agent who owns the conversation (offered to or accepted by). */
  agentId?: string;
  /**
   * The agent who served this customer last in the stream, within its `returnToLastAgentHours`, as
   * the conversation was queued: routing offers it to them first when they are free for it.
   */
  lastAgentId?: string;
  offerExpiresAt?: Date;
  /** Agents who rejected or let an offer time out; routing skips them for this item. */
  declinedBy: string[];
  /**
   * The last transfer, until someone takes the chat: who handed it on (routing offers it to anyone
   * else first, and back to them at once when nobody else can take it) and, while the transfer's own
   * offer is open, the agent it was handed to.
   */
  handOver?: { fromAgentId: string; toAgentId?: string };
  caseId?: string;
  sentiment?: SentimentReading;
  /** How the bot's part ended, once it has. */
  botOutcome?: 'resolved' | 'escalated' | 'abandoned';
  /** What the customer came about, in their own words (their first message that said something). */
  subject?: string;
  /**
   * The customer left a message for a team that was closed or full: the item waits in its queue until
   * an agent picks it up (no overflow rule ends it, the customer leaving does not abandon it), and the
   * agent replies in the chat or by e-mail.
   */
  followUp?: FollowUp;
  /**
   * Since when the customer's chat window has been disconnected (closed, or its network dropped),
   * while it is: the agents see it, and know why no answer comes. Cleared when they are back.
   */
  customerAwaySince?: Date;
  /** Who moved the chat to wrap-up (the customer when they left): the wrap-up's default disposition. */
  endedBy?: Author;
  /** Who closed it: a chat a supervisor closed (force-closed) is not its agent's to reopen. */
  closedBy?: Author;
  transferCount: number;
  /**
   * What the agent who handed it on wrote for the next one, kept with the transfer it came with:
   * the next offer quotes it (the transcript has it too, as an internal message).
   */
  handoverNote?: { text: string; by: string };
  disposition?: string;
  csat?: { rating: number; comment?: string; at: Date };
  /** Last per-conversation message sequence number handed out. */
  lastMessageSeq: number;
  lastActivityAt: Date;
  /** Opaque Bot Framework conversation reference for replies (kept as JSON; services never read it). */
  channelRef?: Record<string, unknown>;
  timestamps: ConversationTimestamps;
  version: number;
}

export interface FollowUp {
  by: 'chat' | 'email';
  /** Where to write back when `by` is `email`. */
  email?: string;
  requestedAt: Date;
}

export type Author = 'customer' | 'bot' | 'agent' | 'supervisor' | 'system';
export type Visibility = 'public' | 'internal';

export interface Attachment {
  name: string;
  contentType: string;
  /** A file kept here (the `files` store), which those who may read the message may open. */
  fileId?: string;
  /** A link elsewhere (http or https only), as the channel gave it. */
  url?: string;
}

export interface Message {
  id: string;
  conversationId: string;
  /** 1, 2, 3 … per conversation, no gaps, no duplicates. */
  seq: number;
  author: Author;
  /** Agent id for agent/supervisor messages, customer id for customer messages. */
  authorId?: string;
  authorName?: string;
  visibility: Visibility;
  text: string;
  attachments: Attachment[];
  sentiment?: SentimentReading;
  /** Bot Framework activity id, unique per conversation when present (retries are ignored). */
  activityId?: string;
  createdAt: Date;
}

export type SessionState = 'presented' | 'accepted' | 'rejected' | 'timed-out' | 'withdrawn' | 'ended';

export interface Session {
  id: string;
  conversationId: string;
  agentId: string;
  queueId?: string;
  mode: ParticipantMode;
  state: SessionState;
  presentedAt: Date;
  acceptedAt?: Date;
  endedAt?: Date;
  /** Milliseconds the session had the agent's focus (session active time). */
  focusMs: number;
  focusedSince?: Date;
}
