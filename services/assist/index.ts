// The assist (local NLP) capability's public face: sentiment, intents, smart assist and summaries.
// Pure library code over plain data; callers own storage, HTTP and the bot.

export {
  ALL_FEATURES,
  createSentimentScorer,
  explainSentiment,
  scoreSentiment,
  type SentimentCue,
  type SentimentExplanation,
  type SentimentFeatures,
  type SentimentResult,
  type SentimentScorer,
} from './sentiment/scorer.js';
export { LEVEL_BOUNDS, levelOf, levelRank, levelValue, roundScore, threeWay } from './sentiment/levels.js';
export {
  conversationSentiment,
  nextConversationSentiment,
  RECENT_WEIGHT,
  sentimentTrend,
} from './sentiment/conversation.js';
export {
  decideArrivalAlerts,
  decideSentimentAlerts,
  type AlertRecipient,
  type Numbered,
  type SentimentAlert,
} from './sentiment/alerts.js';

export {
  INTENT_CONFIDENCE_THRESHOLD,
  trainIntentClassifier,
  type Intent,
  type IntentClassifier,
  type IntentResult,
} from './intents/intent-classifier.js';
export { TRAINING_UTTERANCES, type ConversationalIntent } from './intents/utterances.js';
export { saysThanks } from './intents/thanks.js';

export {
  createSmartAssist,
  type ArticleSuggestion,
  type AssistMessage,
  type AssistSession,
  type AssistSuggestions,
  type CaseSuggestion,
  type SmartAssist,
  type SmartAssistOptions,
} from './smart-assist/smart-assist.js';
export type { IndexableCase } from './smart-assist/case-index.js';

export {
  summarizeConversation,
  type ConversationSummary,
  type SummaryMessage,
} from './summary/conversation-summary.js';
export { summarizeCase, type CaseSummary, type CaseSummaryInput } from './summary/case-summary.js';
