// Payment card numbers never reach the store: customers paste them into chats ("my card 4111 1111
// 1111 1111 was charged twice"), and a chat log that keeps them falls under PCI DSS. Masked where a
// message comes in, they are masked everywhere after it: transcripts, the agent's view, search,
// the channel's own log. The last four digits stay, as on a receipt (PCI DSS allows them shown), so
// agent and customer can still tell which card they mean.

/**
 * 13 to 19 digits, single spaces or hyphens between them allowed, standing on their own: not inside
 * a word or an id (`a4111…b`), a longer number or hyphenated reference, or a decimal (`0.4111…`).
 */
const CANDIDATE = /(?<![\w-])(?<!\d[.,])\d(?:[ -]?\d){12,18}(?!\w|[.,]\d)/g;
/** Cheap test first: most messages hold no run of four digits at all. */
const FOUR_DIGITS = /\d{4}/;

export const CARD_MASK = '•';

/** `text` with every payment card number in it masked but for its last four digits. */
export function maskCardNumbers(text: string): string {
  if (!FOUR_DIGITS.test(text)) return text;
  return text.replace(CANDIDATE, (match) => (isCardNumber(match.replace(/[ -]/g, '')) ? mask(match) : match));
}

/**
 * `value` (JSON-like: a form's answers, an activity's value) with card numbers masked in every
 * string in it, and every number in it that is a card number replaced by its masked string (a page
 * may send `{"savedCard": 4111111111111111}`); the same value when there were none.
 */
export function maskCardNumbersIn<T>(value: T): T {
  if (typeof value === 'string') return maskCardNumbers(value) as T;
  if (typeof value === 'number') return maskCardNumber(value) as T;
  // Copied only once something in it changes: whole activities pass through here, nearly always
  // without a card number, and should cost no garbage then.
  if (Array.isArray(value)) {
    let masked: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const m = maskCardNumbersIn(value[i] as unknown);
      if (m !== value[i]) (masked ??= [...value])[i] = m;
    }
    return (masked ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let masked: Record<string, unknown> | undefined;
    for (const k of Object.keys(record)) {
      const m = maskCardNumbersIn(record[k]);
      if (m !== record[k]) (masked ??= { ...record })[k] = m;
    }
    return (masked ?? value) as T;
  }
  return value;
}

/**
 * A number the card networks could have issued: a payment card's first digit (2 Mastercard, 3 Amex,
 * Diners and JCB, 4 Visa, 5 Mastercard and Maestro, 6 Discover, UnionPay and Maestro) and a valid
 * Luhn check digit, which a mistyped or made-up number fails nine times in ten.
 */
export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || !/^[2-6]/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A card number sent as a JSON number, as its masked string; any other number as it is. Past 2^53
 * the digits read are not those sent, so the check digit proves nothing: a card-length integer
 * there with a card network's first digit is taken for one.
 */
export function maskCardNumber(n: number): number | string {
  if (!Number.isInteger(n) || n < 1e12 || n >= 1e19) return n;
  const digits = String(n);
  const card = Number.isSafeInteger(n) ? isCardNumber(digits) : /^[2-6]/.test(digits);
  return card ? mask(digits) : n;
}

/** Every digit but the last four masked; the separators stay where they were. */
function mask(match: string): string {
  let keep = 4;
  let out = '';
  for (let i = match.length - 1; i >= 0; i--) {
    const c = match[i]!;
    const digit = c >= '0' && c <= '9';
    out = (digit && keep-- <= 0 ? CARD_MASK : c) + out;
  }
  return out;
}
