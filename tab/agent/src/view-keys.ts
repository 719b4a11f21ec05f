// Keyboard moves between the workspace's views, for agents who answer several chats at once: Alt+Shift
// with a digit goes to that session (0 to the dashboard), with an arrow to the next or previous view.
// Alt+Shift, as the offers' Alt+Shift+O: Teams and the browsers leave it to the page.

export interface ViewKey {
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** The physical key (`Digit1`, `ArrowDown`): with Shift held, `key` differs by keyboard layout. */
  code: string;
}

/**
 * The view a key press goes to, among `views` in the order the list shows them (the dashboard first,
 * the supervisor view, then the sessions, whose ids start `s:`); null when the press is not one of
 * these keys or there is nowhere to go.
 */
export function viewForKey(e: ViewKey, views: readonly string[], current: string): string | null {
  if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return null;
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(e.code);
  if (digit) {
    const n = Number(digit[1]);
    if (n === 0) return views.includes('dashboard') ? 'dashboard' : null;
    return views.filter((v) => v.startsWith('s:'))[n - 1] ?? null;
  }
  if (e.code !== 'ArrowDown' && e.code !== 'ArrowUp') return null;
  const i = views.indexOf(current) + (e.code === 'ArrowDown' ? 1 : -1);
  return i >= 0 && i < views.length ? views[i]! : null;
}

/** What the list says a session's key is, for `aria-keyshortcuts` (the first nine). */
export function sessionShortcut(index: number): string | undefined {
  return index < 9 ? `Alt+Shift+${index + 1}` : undefined;
}
