/**
 * A lone UTF-16 surrogate (JSON allows `"\ud83d"` on its own) is no character: MongoDB's BSON
 * stores it as U+FFFD, so the text kept would differ from the text sent (a repeat under the same
 * idempotency key would then be refused as a different message), and the embedded store would
 * relay it to channels that cannot show it. Outside the `u` flag's pairs, `[\ud800-\udfff]` matches
 * only lone ones (the test `String.prototype.isWellFormed` makes, which ES2023's types do not have
 * yet).
 */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

export interface LoneSurrogate {
  /** Keys from the value given to the string holding it. */
  path: string[];
  /** Its position in that string, counting from 1. */
  at: number;
  /** Its code unit in hex, as `\u` would write it. */
  unit: string;
}

/**
 * The first lone surrogate anywhere in a JSON value (strings, arrays, objects), if any. Every
 * customer message and API body goes through here: nothing is allocated unless one is found (the
 * path is built on the way back out).
 */
export function findLoneSurrogate(value: unknown): LoneSurrogate | undefined {
  const found = search(value);
  if (!found) return undefined;
  found.path.reverse();
  return found;
}

function search(value: unknown): LoneSurrogate | undefined {
  if (typeof value === 'string') {
    const at = value.search(LONE_SURROGATE);
    return at < 0 ? undefined : { path: [], at: at + 1, unit: value.charCodeAt(at).toString(16) };
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = search(value[i]);
      if (found) return (found.path.push(String(i)), found);
    }
    return undefined;
  }
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const found = search((value as Record<string, unknown>)[k]);
    if (found) return (found.path.push(k), found);
  }
  return undefined;
}

/** How a refusal says it. */
export function loneSurrogateWords(found: LoneSurrogate): string {
  return `holds an unpaired surrogate (\\u${found.unit} at character ${found.at}), which is not text: send well-formed Unicode`;
}
