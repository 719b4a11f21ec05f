export * from './entities.js';
export * from './events.js';
export * from './errors.js';
export * from './deps.js';
export * from './conversation.js';
export * from './capacity.js';
export * from './access.js';
