import type { SentimentReading } from '../../domain/index.js';
import { decideSentimentAlerts, type AlertRecipient, type SentimentAlert } from './alerts.js';
import { nextConversationSentiment, sentimentTrend } from './conversation.js';
import { scoreSentiment } from './scorer.js';

export interface MessageAssessment {
  /** Store on the message (`Message.sentiment`). */
  message: SentimentReading;
  /** Store on the conversation (`Conversation.sentiment`). */
  conversation: SentimentReading;
  /** The conversation's level changed: publish `sentiment.changed`. */
  levelChanged: boolean;
  trend: 'improving' | 'worsening' | 'steady';
  /** Publish one `sentiment.alert` each. */
  alerts: SentimentAlert[];
}

/**
 * Everything the conversation service does with sentiment when a customer message arrives, in one
 * pure call: score it, move the conversation's reading, and decide the alerts.
 */
export function assessCustomerMessage(
  text: string,
  at: Date,
  previous: SentimentReading | undefined,
  recipients: readonly AlertRecipient[],
): MessageAssessment {
  const { score, level } = scoreSentiment(text);
  const message: SentimentReading = { score, level, at };
  const conversation = nextConversationSentiment(previous, message);
  return {
    message,
    conversation,
    levelChanged: previous?.level !== conversation.level,
    trend: sentimentTrend(previous, conversation),
    alerts: decideSentimentAlerts(previous, conversation, recipients),
  };
}
