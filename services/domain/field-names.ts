// Which names a free-form map (pre-chat answers, custom context, widget values) may use as keys. They
// end up as document field names: MongoDB and NeDB treat `$…` as operators and `.` as a path, and a
// `__proto__` or `constructor` key is a prototype-pollution vector once merged into an object. The
// one definition of the rule: the domain's schemas, the store adapters and the bot's activity
// schemas all ask it.

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a path segment is a reserved name (`__proto__`, `constructor`, `prototype`). */
export function isReservedFieldName(key: string): boolean {
  return RESERVED.has(key);
}

/** Why `key` cannot be a field name, or null when it can. */
export function invalidKeyReason(key: string): string | null {
  if (key.length === 0) return 'an empty field name';
  if (key.startsWith('$')) return `field name "${key}" starts with "$"`;
  if (key.includes('.')) return `field name "${key}" contains "."`;
  if (key.includes('\0')) return `field name contains a NUL character`;
  if (RESERVED.has(key)) return `field name "${key}" is reserved`;
  return null;
}
