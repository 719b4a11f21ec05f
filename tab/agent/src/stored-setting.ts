// A person's small choices (theme, sound) kept in the browser. Storage can be blocked — a Teams tab
// is a third-party frame, and some browsers refuse such frames storage — and then a choice lasts
// until the page reloads rather than taking the workspace down with it.

export function readSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function saveSetting(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Blocked storage: the choice lasts until the tab reloads.
  }
}
