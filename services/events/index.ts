export { EventBus, type EventAppender, type EventListener } from './event-bus.js';
