// The agent workspace's public face: quick replies, notes, the customer page and timeline, cases,
// knowledge, agent scripts and macros, smart assist and summaries, people and queues. Domain logic
// only; the HTTP routes in services/http/api/workspace-routes.ts are thin over it.
export { createWorkspace, type Workspace, type WorkspaceOptions } from './workspace.js';
export type { Actor, AgentMessages, WorkspacePorts, WorkspaceRecords } from './ports.js';
export { fillSlots, slotValues, type Filled, type SlotValues } from './slots.js';
export { chooseScript, type ScriptView, type StepView } from './scripts.js';
export type { ActionOutcome, EmailDraft, MacroResult } from './macros.js';
export type { AssistItem, ConversationSummaryView } from './assist.js';
export type { CaseLink, CaseSummaryView, CaseView } from './cases.js';
export type { CustomerSummary } from './customer-summary.js';
export type { KnowledgeResult } from './knowledge.js';
export type { NoteView } from './notes.js';
export type { PersonView, QueueView } from './people.js';
export type { FilledQuickReply } from './quick-replies.js';
export type { TimelineEntry, TimelinePage } from './timeline.js';
