export {
  createRepositories,
  COLLECTIONS,
  INDEXES,
  type Repositories,
  type RepositoryOptions,
} from './create-repositories.js';
export type { NewAgent, AgentPatch, PresenceChange, Agents, AgentWithHolds, CapacityHold } from './agents.js';
export type { NewAgentScript, AgentScriptPatch, AgentScripts } from './agent-scripts.js';
export { formatCaseNumber, type NewCase, type CasePatch, type Cases } from './cases.js';
export type { NewConversation, ConversationQuery, Conversations, Holder } from './conversations.js';
export type { NewCustomer, CustomerPatch, Customers } from './customers.js';
export type { EventRange, Events } from './events.js';
export type { NewKnowledgeArticle, KnowledgeArticlePatch, KnowledgeArticles } from './knowledge-articles.js';
export type { NewMacro, MacroPatch, Macros } from './macros.js';
export type { Markers } from './markers.js';
export { Files, type FileInfo } from './files.js';
export type { NewMessage, AppendResult, MessageQuery, MessagePage, Messages } from './messages.js';
export type { NewNote, Notes } from './notes.js';
export type { NewQueue, QueuePatch, Queues } from './queues.js';
export type { NewQuickReply, QuickReplyPatch, QuickReplies } from './quick-replies.js';
export {
  stepKey,
  type ScriptProgress,
  type ScriptProgressRecords,
  type StepDone,
} from './script-progress.js';
export type { NewSession, SessionPatch, Sessions } from './sessions.js';
export type { Page } from './support.js';
export type { NewWorkstream, WorkstreamPatch, Workstreams } from './workstreams.js';
