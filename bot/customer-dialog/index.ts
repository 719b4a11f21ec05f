export {
  decide,
  initialDialogState,
  DID_THAT_HELP,
  GREETING,
  HELP_PROMPT,
  RATINGS,
  UNHELPFUL_LIMIT,
  YES_NO,
} from './decide.js';
export { makeExtract } from './extract.js';
export type {
  ChannelStyle,
  DialogAction,
  DialogEnv,
  DialogInput,
  DialogState,
  DialogStep,
  EscalationReason,
  Understanding,
  WidgetEventName,
} from './types.js';
export { surveyFor } from './survey-from-rules.js';
