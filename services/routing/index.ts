// The routing module's public face (docs/architecture.md).
export { createRouter } from './router.js';
export type {
  Router,
  RouterOptions,
  RoutePreview,
  QueueStatus,
  TransferTarget,
  SweepReport,
  LogEntry,
} from './types.js';
export { systemScheduler, ManualScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
export { classify, type Classification } from './classification.js';
export { surveyFor } from './pre-chat-survey.js';
export { isOpen } from './operating-hours.js';
export { nextOpening } from './next-opening.js';
export { overflowFor } from './overflow.js';
export { chooseAgent, compareByMethod, skillMatch, type Candidate } from './assignment.js';
export { isEligible } from './eligibility.js';
export { offerIdOf, conversationOfOffer, offerReason } from './offer-reason.js';
export { estimateWaitSeconds } from './wait-estimate.js';
export { erlangC, erlangCProbability, type ErlangCPrediction } from './erlang-c.js';
