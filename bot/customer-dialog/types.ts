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
    /** A hand-over was asked for; routing is being asked where it would go before anything is promised. */
    | 'routing'
    /** The team is closed or full: the customer was told and offered what can be done now. */
    | 'closed-options'
    /** Writing the message to leave for the team. */
    | 'message'
    /** Asked for the e-mail address a follow-up should go to. */
    | 'email-ask'
    /** A message was left; it waits in the team's queue until an agent picks it up. */
    | 'message-left'
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
  /** Articles the customer said did not help: not offered to them again. */
  declinedArticleIds?: string[];
  lastQueueStatus?: { position: number; estimatedWaitSeconds: number | null };
  agentName?: string;
  csatRating?: number;
  /** The survey question being asked in text (absent while the widget shows the form). */
  asking?: string;
  /** Optional questions the customer skipped, or that are left out because they want a person. */
  skipped?: string[];
  /** A typed answer the bot is not sure of, waiting for "is that right?". */
  pendingChoice?: { questionId: string; value: string };
  /** How many times each prompt (by key) was sent; none goes out more than twice. */
  prompts?: Record<string, number>;
  /** What the customer came about, in their own words, and what the knowledge base made of it. */
  subject?: string;
  subjectAnswer?: Understanding['answer'];
  /** The customer asked for a person (how many times), or got upset enough to be handed over. */
  agentRequests?: number;
  upset?: boolean;
  /** Why the hand-over being checked was asked for. */
  handover?: EscalationReason;
  /** The closed or full team the customer was told about. */
  closed?: { queueName: string; when?: string; full: boolean };
  /** An agent joined at some point: only then is there a service to rate. */
  agentServed?: boolean;
  /** The bot closed it as resolved: the customer may rate the assistant. */
  botResolved?: boolean;
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

/** An article the bot can answer with: `url` is the public page of the whole article, when known. */
export interface KnowledgeAnswer {
  articleId: string;
  title: string;
  extract: string;
  url?: string;
}

/** What the NLP module made of a customer message, computed before the pure step. */
export interface Understanding {
  /** The message's own sentiment and the conversation's rolling one. */
  sentiment: SentimentLevel;
  rollingSentiment?: SentimentLevel;
  intent?: { name: string; confidence: number; unsure: boolean };
  /** The best knowledge article for the message, only when it is good enough to offer. */
  answer?: KnowledgeAnswer;
  /** The next best articles, offered instead of one the customer already said did not help. */
  alternatives?: KnowledgeAnswer[];
  /**
   * What the intent model thinks the message is about (its article's product and title), even when
   * it is not sure enough to answer with it: a hint for choosing among survey choices.
   */
  topic?: { words: string; confidence: number };
}

/** Where a hand-over would go now, as routing answered (plain data for the pure dialog). */
export interface RouteOutlook {
  queueName: string;
  open: boolean;
  /** ISO time the team is back; absent when it never opens or is open. */
  opensAt?: string;
  timeZone?: string;
  estimatedWaitSeconds: number | null;
  /** Routing would end the hand-over: closed, too many waiting, or too long a wait. */
  ending?: { rule: 'closed' | 'size' | 'wait'; message: string };
}

export type DialogInput =
  | { kind: 'start' }
  | { kind: 'message'; text: string; understanding: Understanding }
  /** Files without words (a photo, a bill): kept on the transcript for the agents. */
  | { kind: 'files'; names: string[] }
  /** Files a channel brought that were not kept (too big, of another type): why, file by file. */
  | { kind: 'filesRefused'; reasons: string[] }
  | { kind: 'preChatAnswers'; answers: Record<string, string> }
  | { kind: 'csat'; rating: number; comment?: string }
  | { kind: 'queueStatus'; position: number; estimatedWaitSeconds: number | null }
  /** Routing's answer to a `checkRoute` action; `at` is now, for "back tomorrow at 8". */
  | { kind: 'route'; route: RouteOutlook; at: string }
  | { kind: 'agentJoined'; name: string }
  /** The agent handed the chat on (a transfer to an agent or a queue, a supervisor's assignment). */
  | { kind: 'agentLeft'; name?: string }
  /** The agent reopened the chat after it ended (within the reopen window). */
  | { kind: 'reopened'; name: string }
  | { kind: 'conversationEnded' }
  /** The customer went quiet for the work stream's inactivity time. */
  | { kind: 'inactivity' }
  /** The rating asked after the chat ended went unanswered for its time. */
  | { kind: 'surveyLapsed' }
  /** The widget's "send me the transcript" (text channels just type "transcript"). */
  | { kind: 'transcriptRequest' };

export type EscalationReason = 'requested' | 'unhelpful' | 'sentiment';

export type WidgetEventName =
  | 'preChatSurvey'
  /** The survey's answers are in (by the form or typed in the chat): a form still open closes. */
  | 'preChatComplete'
  | 'agentJoined'
  | 'agentLeft'
  | 'queuePosition'
  | 'conversationEnded'
  | 'conversationReopened'
  | 'postChatSurvey';

export type DialogAction =
  | { type: 'typing' }
  | { type: 'say'; text: string; suggestions?: string[] }
  /**
   * `text`: what the event means in words, carried as the activity's `text` for a client that does
   * not know the event (a plain Direct Line client), and kept on the transcript like a `say`.
   */
  | { type: 'event'; name: WidgetEventName; value?: unknown; text?: string }
  | { type: 'savePreChat'; answers: Record<string, string> }
  /** Keep what the customer came about on the conversation (for agents, search and routing). */
  | { type: 'saveSubject'; subject: string }
  /** Ask routing where a hand-over would go; the answer comes back as a `route` input. */
  | { type: 'checkRoute' }
  | { type: 'escalate'; reason: EscalationReason }
  /** Leave a message for the team: a work item that waits in its queue for an agent. */
  | { type: 'leaveMessage'; by: 'chat' | 'email'; email?: string }
  /** Close the conversation as resolved by the bot. */
  | { type: 'resolve' }
  | { type: 'saveCsat'; rating: number; comment?: string }
  | { type: 'sendTranscript' };

export interface DialogStep {
  state: DialogState;
  actions: DialogAction[];
}
