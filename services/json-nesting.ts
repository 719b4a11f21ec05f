// How deep JSON from outside may nest, for every reader of it: the body reader, and the Direct Line
// channel's upload, whose activity arrives inside a multipart body. Beside log.ts because the bot,
// barred from services/http, reads such JSON too.

/** Nesting of objects and arrays a request's JSON may have; deeper is refused with 400. */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of `{`/`[` outside strings. Counted on the text, before parsing, because deep
 * values make later recursive steps (serializing, storing) throw far from the request.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
