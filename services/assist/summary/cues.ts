// Word cues for the parts of a support conversation, matched on lower-cased text by `hasCue`; kept
// as lists so adding a cue is one line.

export const PROBLEM_CUES = [
  'not working',
  "doesn't work",
  "isn't working",
  "won't",
  "can't",
  'cannot',
  'no internet',
  'down',
  'outage',
  'slow',
  'drops',
  'dropping',
  'disconnect*',
  'blinking',
  'red light',
  'orange light',
  'buffering',
  'error',
  'broken',
  'charged',
  'overcharged',
  'twice',
  'wrong',
  'missing',
  'never',
  'problem*',
  'issue*',
  'late fee',
  'refund',
  'cancel',
];

export const TRIED_CUES = [
  'restarted',
  'restart',
  'rebooted',
  'reboot',
  'reset',
  'unplugged',
  'unplug',
  'plugged',
  'tried',
  'checked',
  'check',
  'moved',
  'ran',
  'speed test',
  'updated',
  'replaced',
  'changed',
  'reconnected',
  'power cycle',
  'followed',
  'waived',
  'applied',
];

export const RESOLVED_CUES = [
  'working now',
  'works now',
  'fixed',
  'resolved',
  'sorted',
  'solved',
  'back to normal',
  'all good',
  'refund issued',
  'refunded',
  'waived',
  'credit*',
  'scheduled',
  'booked',
  'case',
  'escalat*',
  'transfer*',
  'technician',
  'will call',
  'follow up',
  'thank*',
];

export const UNRESOLVED_CUES = [
  'still not',
  'still no',
  'still the same',
  "didn't help",
  'did not help',
  'no change',
];

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'));
}

/**
 * How many of `cues` occur in `lowerText` as whole words or phrases; a cue ending in `*` matches as a
 * prefix ("escalat*" finds "escalated").
 */
export function hasCue(lowerText: string, cues: readonly string[]): number {
  let hits = 0;
  for (const raw of cues) {
    const prefix = raw.endsWith('*');
    const cue = prefix ? raw.slice(0, -1) : raw;
    let from = 0;
    for (;;) {
      const i = lowerText.indexOf(cue, from);
      if (i < 0) break;
      if (!isWordChar(lowerText[i - 1]) && (prefix || !isWordChar(lowerText[i + cue.length]))) {
        hits++;
        break;
      }
      from = i + 1;
    }
  }
  return hits;
}
