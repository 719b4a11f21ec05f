import type { SentimentLevel, SurveyQuestion } from '../../services/domain/index.js';

/**
 * Where the customer's conversation with the bot stands. Plain data so it is stored between turns
 * (and survives a restart) and the dialog stays a pure function of (state, input).
 */
export interface DialogState {
  phase:
    | 'new'
    | 'prechat'
    | 'helping'
    | 'feedback'
    | 'confirmed'
    | 'queued'
    | 'with-agent'
    | 'csat-rating'
    | 'csat-comment'
    | 'done';
  /** Index of the pre-chat question being asked one at a time (text channels). */
  question: number;
  answers: Record<string, string>;
  /** Answers that did not help: a "No", or a question the bot did not understand. Two escalate. */
  unhelpful: number;
  lastArticleId?: string;
  lastQueueStatus?: { position: number; estimatedWaitSeconds: number };
  agentName?: string;
  csatRating?: number;
}

/**
 * How the channel shows the bot's structured parts: the chat widget (Direct Line / Web Chat) renders
 * `event` activities (survey form, agent joined, queue position); Teams and other channels get text.
 */
export type ChannelStyle = 'events' | 'text';

export interface DialogEnv {
  style: ChannelStyle;
  survey: SurveyQuestion[];
}

/** What the NLP module made of a customer message, computed before the pure step. */
export interface Understanding {
  /** The message's own sentiment and the conversation's rolling one. */
  sentiment: SentimentLevel;
  rollingSentiment?: SentimentLevel;
  intent?: { name: string; confidence: number; unsure: boolean };
  /** The best knowledge article for the message, when there is one good enough. */
  answer?: { articleId: string; title: string; extract: string };
}

export type DialogInput =
  | { kind: 'start' }
  | { kind: 'message'; text: string; understanding: Understanding }
  | { kind: 'preChatAnswers'; answers: Record<string, string> }
  | { kind: 'csat'; rating: number; comment?: string }
  | { kind: 'queueStatus'; position: number; estimatedWaitSeconds: number }
  | { kind: 'agentJoined'; name: string }
  | { kind: 'agentLeft'; name?: string }
  | { kind: 'conversationEnded' }
  /** The customer went quiet for the work stream's inactivity time. */
  | { kind: 'inactivity' }
  /** The widget's "send me the transcript" (text channels just type "transcript"). */
  | { kind: 'transcriptRequest' };

export type EscalationReason = 'requested' | 'unhelpful' | 'sentiment';

export type WidgetEventName =
  'preChatSurvey' | 'agentJoined' | 'agentLeft' | 'queuePosition' | 'conversationEnded' | 'postChatSurvey';

export type DialogAction =
  | { type: 'typing' }
  | { type: 'say'; text: string; suggestions?: string[] }
  | { type: 'event'; name: WidgetEventName; value?: unknown }
  | { type: 'savePreChat'; answers: Record<string, string> }
  | { type: 'escalate'; reason: EscalationReason }
  /** Close the conversation as resolved by the bot. */
  | { type: 'resolve' }
  | { type: 'saveCsat'; rating: number; comment?: string }
  | { type: 'sendTranscript' };

export interface DialogStep {
  state: DialogState;
  actions: DialogAction[];
}
