import { foldForMatching } from '../../knowledge/index.js';

// "thank", "thanks", "thankyou", "thx", "ty", "cheers", "appreciate(d)", "ta", and the same in the
// languages customers most often thank in. The classifier's "thanks" class also learns "you" and
// "help" from "thank you for the help", so without one of these words it is no thanks.
const THANKS_WORD =
  /(?:^|[^\p{L}])(?:thank\p{L}*|thx|thnx|tnx|tq|ty|tysm|cheers|appreciat\p{L}*|ta|kudos|gracias|merci|danke|grazie|obrigad[oa])(?![\p{L}])/u;

/** Whether a message has a word of thanks in it: what the "thanks" small talk needs. */
export function saysThanks(text: string): boolean {
  return THANKS_WORD.test(foldForMatching(text));
}
