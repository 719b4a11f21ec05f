// Realtime: the event-log tail every instance runs, the per-user live stream, sentiment alerts.
export { createEventTail, type EventTail, type EventLogReader, type TailListener } from './event-tail.js';
export { createStreamHub, type StreamHub, type StreamConnection } from './stream-hub.js';
export { frameBytes, framesFor, type Frame, type FrameSource, type StreamState } from './frames.js';
export { createSentimentAlerts, sentimentAlertPorts, type AlertPorts } from './sentiment-alerts.js';
