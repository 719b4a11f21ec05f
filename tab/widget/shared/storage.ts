/**
 * localStorage access that never throws: Safari private mode, disabled storage or a full quota must
 * degrade the widget to "no persistence", not break the host page.
 */
export const KEYS = {
  visitor: 'switchboard:visitor',
  navigation: 'switchboard:navigation',
  session: 'switchboard:session',
  transcript: 'switchboard:transcript',
} as const;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function browserStore(): KeyValueStore {
  try {
    const s = window.localStorage;
    const probe = 'switchboard:probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    // storage unavailable: keep state for this page only
    return memoryStore();
  }
}

export function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

export function readJson<T>(store: KeyValueStore, key: string): T | null {
  try {
    const raw = store.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    // corrupt entry: treat as absent
    return null;
  }
}

export function writeJson(store: KeyValueStore, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // quota exceeded: persistence is best effort
  }
}

/**
 * The visitor credential the server handed this browser: sent back when a new chat starts so the
 * server recognises the visitor. The user id itself is always the server's to assign.
 */
export function loadVisitor(store: KeyValueStore): string | undefined {
  const v = store.getItem(KEYS.visitor);
  return v && /^[A-Za-z0-9_-]{22,128}$/.test(v) ? v : undefined;
}

export function saveVisitor(store: KeyValueStore, visitor: string): void {
  try {
    store.setItem(KEYS.visitor, visitor);
  } catch {
    // quota exceeded: the next chat is a new visitor, nothing worse
  }
}

export function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
