// Text that shows nothing is no message: zero-width spaces and joiners, the byte-order mark, soft
// hyphens, bidi marks and Hangul fillers render as nothing, as whitespace does, so a message or note
// of only those is as empty as one of spaces (a customer would get a blank bubble). Unicode names
// them: White_Space, and Default_Ignorable_Code_Point ("should be ignored in rendering").
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

/** Whether `text` holds anything a reader would see. */
export function hasVisibleText(text: string): boolean {
  return !INVISIBLE.test(text);
}
