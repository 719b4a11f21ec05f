// Typed Adaptive Card builders for the Teams bot (version 1.5, Universal Actions).
export { CARD_CONTENT_TYPE, CARD_VERSION, type AdaptiveCard, type ExecuteAction } from './adaptive-card.js';
export {
  offerCard,
  offerAttachment,
  OFFER_VERBS,
  channelName,
  type OfferCardState,
  type OfferCardView,
} from './offer-card.js';
export { queuesCard, queuesAttachment, QUEUE_VERBS, type QueueLine } from './queues-card.js';
export {
  consultCard,
  consultAttachment,
  CONSULT_VERBS,
  type ConsultCardView,
  type TranscriptLine,
} from './consult-card.js';
export { alertCard, alertAttachment, type AlertCardView } from './alert-card.js';
