// Insights: what supervisors watch live (the real-time figures per queue, ongoing conversations).
export { queueRealtime, smallestCost, type QueueRealtime } from './realtime.js';
export { createSupervisorView, type SupervisorView } from './supervisor.js';
