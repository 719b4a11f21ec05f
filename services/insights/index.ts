// Insights: what supervisors watch live (the real-time figures per queue, ongoing conversations).
export { offerRule, queueRealtime, smallestCost, type OfferRule, type QueueRealtime } from './realtime.js';
export { createSupervisorView, type SupervisorView } from './supervisor.js';
export { awaitingReplySince, LONG_WAIT, longWait } from './waits.js';
