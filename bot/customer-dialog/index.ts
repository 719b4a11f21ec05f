export {
  decide,
  initialDialogState,
  CLOSED_OPTIONS,
  DID_THAT_HELP,
  PROMPT_LIMIT,
  TALK_TO_A_PERSON,
  GREETING,
  HELP_PROMPT,
  RATINGS,
  UNHELPFUL_LIMIT,
  YES_NO,
} from './decide.js';
export { makeExtract } from './extract.js';
export { matchChoice } from './choices.js';
export { missedHandover, missedUpdate, type AgentSide, type MissedWhen } from './missed.js';
export type {
  ChannelStyle,
  DialogAction,
  DialogEnv,
  DialogInput,
  DialogState,
  DialogStep,
  EscalationReason,
  RouteOutlook,
  Understanding,
  WidgetEventName,
} from './types.js';
