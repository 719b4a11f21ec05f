// Understanding a typed answer to a choice question: "about my bill" means Billing, "internt down"
// means Internet outage, "mi factura" means Billing. Exact names and numbers first, then words and
// their synonyms (English and Spanish), then near-misses (typos), then the intent model's hint.
// Anything short of a clear word match is returned as unsure, so the dialog confirms it.

/** Lower case, accents off ("facturación" = "facturacion"), "&" as "and", "wi-fi" as "wifi". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bwi[\s-]?fi\b/g, 'wifi')
    .replace(/[^a-z0-9@.\s'-]/g, ' ')
    .replace(/[.'-](?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Words that name the same thing a customer may mean, by concept. A choice stands for the concepts
 * of its words; a message for the concepts of its words. Words outside the table are their own
 * concept, so any work stream's choices match on their own words.
 */
// prettier-ignore
const CONCEPTS: Record<string, string[]> = {
  billing: [
    'bill', 'bills', 'billing', 'billed', 'invoice', 'invoices', 'charge', 'charges', 'charged',
    'overcharged', 'payment', 'payments', 'pay', 'paid', 'paying', 'refund', 'refunds', 'fee', 'fees',
    'price', 'autopay', 'statement', 'balance', 'debit',
    'factura', 'facturas', 'facturacion', 'cobro', 'cobros', 'cobraron', 'cobran', 'pago', 'pagos',
    'pagar', 'recibo', 'cargo', 'cargos', 'reembolso', 'cuenta',
  ],
  outage: [
    'outage', 'outages', 'down', 'offline', 'internet', 'connection', 'disconnected', 'dropping',
    'drops', 'dropped', 'fiber', 'fibre', 'ont', 'broadband',
    'caido', 'caida', 'conexion', 'corte', 'apagon', 'fibra',
  ],
  wifi: [
    'wifi', 'wireless', 'router', 'routers', 'modem', 'equipment', 'device', 'devices', 'extender',
    'mesh', 'signal', 'hardware', 'inalambrica', 'inalambrico', 'enrutador', 'equipo', 'equipos',
    'senal', 'aparato',
  ],
  moving: [
    'moving', 'move', 'moved', 'relocate', 'relocating', 'relocation', 'address', 'install',
    'installation', 'signup', 'new', 'mudanza', 'mudarme', 'mudo', 'mudando', 'mudar', 'nuevo',
    'nueva', 'instalacion', 'instalar', 'direccion', 'contratar',
  ],
  other: ['other', 'otro', 'otra', 'otros', 'else', 'different'],
};

const CONCEPT_OF = new Map<string, string>();
for (const [concept, words] of Object.entries(CONCEPTS)) for (const w of words) CONCEPT_OF.set(w, concept);

/** Words that say nothing about which choice is meant. */
const FILLER = new Set(
  (
    "a an and or the of to for with about my me i im i'm it is its this that on in at be am are was " +
    'want need like would please help have has had get got can could do does not no yes some any ' +
    'talk speak agent human person someone representative real problem issue question since ' +
    'service services morning today el la los las de del mi mis con por para que un una es y o ' +
    'quiero necesito tengo hablar persona agente humano problema ayuda sobre servicio no si'
  ).split(' '),
);

function tokens(text: string): string[] {
  return fold(text)
    .split(' ')
    .filter((t) => t && !FILLER.has(t));
}

// Three rows of the distance matrix, reused: the distance is taken for every word a customer types
// against every known word, and a matrix of arrays per call was most of its cost.
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)] as const;

/**
 * Damerau–Levenshtein distance (optimal string alignment), capped: enough to forgive one or two
 * slips of the keyboard. The distance when it is at most `cap`, otherwise `cap + 1`.
 */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const width = b.length + 1;
  if (rows[0].length < width) rows = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
  // Rows i - 2, i - 1 and i of the matrix.
  let [before, previous, current] = rows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < width; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, before[j - 2]! + 1);
      current[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // Once a whole row is past the cap every later row is too: each cell builds on the row above,
    // or on the one before that plus a transposition.
    if (rowMin > cap) return cap + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, cap + 1);
}

/** How far a typo may be from a known word: none for short words, where it would guess wildly. */
function allowedSlips(word: string): number {
  return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
}

/** The concept a word stands for: exactly or by a typo (`fuzzy` false), or by a doubtful near-miss. */
function conceptOf(word: string, vocabulary: Iterable<string>): { concept: string; fuzzy: boolean } | null {
  const exact = CONCEPT_OF.get(word) ?? (new Set(vocabulary).has(word) ? word : undefined);
  if (exact) return { concept: exact, fuzzy: false };
  // Plurals and verb forms of a choice's own words ("movings", "billings").
  const stem = word.replace(/(es|s|ing|ed)$/, '');
  if (stem.length >= 4 && CONCEPT_OF.has(stem)) return { concept: CONCEPT_OF.get(stem)!, fuzzy: false };
  let best: { concept: string; d: number } | null = null;
  const slips = allowedSlips(word);
  if (slips === 0) return null;
  for (const known of [...CONCEPT_OF.keys(), ...vocabulary]) {
    if (known.length < 4) continue;
    const d = editDistance(word, known, slips);
    if (d <= slips && (!best || d < best.d)) best = { concept: CONCEPT_OF.get(known) ?? known, d };
  }
  // One slip in a word of five letters or more is a typo ("biling", "internt"); more is a guess.
  return best ? { concept: best.concept, fuzzy: best.d > 1 || word.length < 5 } : null;
}

function choiceConcepts(choice: string): Set<string> {
  return new Set(tokens(choice).map((t) => CONCEPT_OF.get(t) ?? t));
}

export interface ChoiceMatch {
  choice: string;
  /** False when only a typo-level or model-level guess points there: confirm before using it. */
  sure: boolean;
}

// prettier-ignore
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6,
  primero: 1, primera: 1, segundo: 2, segunda: 2, tercero: 3, tercera: 3, cuarto: 4, cuarta: 4, quinto: 5, quinta: 5,
};

/**
 * The choice a free-text answer means, or null when it names none (or two equally). `hint` is what
 * the intent model made of the message (an article's product and title) and only ever gives an
 * unsure match.
 */
export function matchChoice(
  text: string,
  choices: readonly string[],
  hint?: { words: string; confidence: number },
): ChoiceMatch | null {
  const folded = fold(text);
  if (!folded) return null;
  const exact = choices.find((c) => fold(c) === folded);
  if (exact) return { choice: exact, sure: true };
  const number = /^(?:#|no\.?\s*|option\s*|opcion\s*)?(\d{1,2})$/.exec(folded)?.[1];
  if (number) {
    const byNumber = choices[Number(number) - 1];
    return byNumber ? { choice: byNumber, sure: true } : null;
  }
  const ordinal = folded
    .split(' ')
    .map((w) => ORDINALS[w])
    .find((n) => n !== undefined);
  if (ordinal && folded.split(' ').length <= 3 && choices[ordinal - 1])
    return { choice: choices[ordinal - 1]!, sure: true };

  const vocabulary = choices.flatMap(tokens);
  const said = new Map<string, boolean>(); // concept → only fuzzy evidence
  for (const t of tokens(text)) {
    const c = conceptOf(t, vocabulary);
    if (c) said.set(c.concept, (said.get(c.concept) ?? true) && c.fuzzy);
  }
  const scored = choices
    .map((choice) => {
      const concepts = choiceConcepts(choice);
      let exactHits = 0;
      let fuzzyHits = 0;
      for (const [concept, fuzzy] of said) {
        if (!concepts.has(concept)) continue;
        if (fuzzy) fuzzyHits++;
        else exactHits++;
      }
      return { choice, exactHits, fuzzyHits, score: exactHits + fuzzyHits * 0.6 };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const [top, second] = scored;
  if (top && (!second || top.score > second.score)) {
    return { choice: top.choice, sure: top.exactHits > 0 };
  }
  if (hint && hint.confidence > 0) {
    const fromHint = matchChoice(hint.words, top && second ? [top.choice, second.choice] : choices);
    if (fromHint) return { choice: fromHint.choice, sure: false };
  }
  return null;
}
