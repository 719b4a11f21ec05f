export {
  carriedAudience,
  carriedMessage,
  EventBus,
  type Carried,
  type EventAppender,
  type EventListener,
  type EventOf,
  type EventSource,
} from './event-bus.js';
