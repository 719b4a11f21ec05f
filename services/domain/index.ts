export * from './entities.js';
export * from './events.js';
export * from './errors.js';
export * from './deps.js';
export * from './conversation.js';
export * from './capacity.js';
export * from './access.js';
export * from './field-names.js';
export { safeKey } from './schemas.js';
