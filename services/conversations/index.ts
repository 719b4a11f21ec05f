export {
  createConversationService,
  MAX_MESSAGE_CHARS,
  type ConversationService,
  type CustomerMessageInput,
  type CustomerMessageResult,
  type StartInput,
  type StartResult,
  type TypingSignal,
  type VisitorContextInput,
} from './conversation-service.js';
export type {
  AgentDirectory,
  ConversationRecords,
  ConversationServicePorts,
  CustomerRecords,
  EventPublisher,
  MessageRecords,
  NewMessage,
  QueueStatus,
  RouteOutlook,
  RoutingPort,
  SentimentScore,
  SentimentScorer,
  WorkstreamRecords,
} from './ports.js';
export { formatTranscript, publicTranscript, type TranscriptLine } from './transcript.js';
export { conversationPortsFromRepositories } from './from-repositories.js';
export {
  DEFAULT_QUIET_CHAT_POLICY,
  QUIET_CHAT_MIN_MINUTES,
  awayCloseNotice,
  hasLeftQuietly,
  inactivityMinutes,
  quietCutoffMinutes,
  quietCloseNotice,
  type QuietChatPolicy,
} from './quiet-chat.js';
