export * from './entities.js';
export * from './events.js';
export * from './errors.js';
export * from './deps.js';
export * from './conversation.js';
export * from './capacity.js';
export * from './access.js';
export * from './field-names.js';
export { maskCardNumbers, maskCardNumbersIn } from './card-numbers.js';
export { hasVisibleText } from './visible-text.js';
export { findLoneSurrogate, loneSurrogateWords, type LoneSurrogate } from './well-formed.js';
export {
  characterCount,
  clipCharacters,
  MAX_MESSAGE_CHARS,
  messageTooLongWords,
  storableMessageText,
  typedMessageText,
  withoutControlCharacters,
} from './message-text.js';
export { formatTimeCursor, isPastTimeCursor, parseTimeCursor, type TimeCursor } from './time-cursor.js';
export { safeKey } from './schemas.js';
export {
  ACCEPTED_FILE_TYPES,
  agentFilesOwner,
  checkFile,
  conversationOfAgentFile,
  fileName,
  MAX_FILE_BYTES,
  MAX_FILES_PER_CONVERSATION,
  pictureType,
  type FileCheck,
} from './files.js';
