// Where the tab runs. Inside Teams (or Outlook / the Microsoft 365 app) teams-js answers
// app.initialize(), gives the theme and its changes, and an SSO token for the API. In a plain
// browser initialize() rejects or never settles, so it races a timeout and the tab falls back to the
// local-mode dev sign-in. One build serves both.

import type { HostPage } from './start-link.js';

export type ThemeName = 'light' | 'dark' | 'contrast';

export interface TeamsHost {
  kind: 'teams';
  theme: ThemeName;
  /** The SSO token for the agent API (teams-js caches and renews it). */
  getToken(): Promise<string>;
  /**
   * Microsoft's sign-in window on `url` (a page of ours that goes on to Entra), for what Teams
   * cannot ask inside the tab: a first-time user's consent, a second factor. Resolves when the
   * window reports success; rejects with its reason (CancelledByUser, FailedToOpenWindow…).
   */
  signInWindow(url: string): Promise<string>;
  onThemeChange(cb: (t: ThemeName) => void): void;
  /** The page Teams opened: the static tab's entity id, and a deep link's subEntityId as `subPageId`. */
  page?: HostPage;
}

export interface BrowserHost {
  kind: 'browser';
  theme: ThemeName;
  /** Why Teams was not used, shown in the dev-mode banner's details. */
  reason: string;
}

export type Host = TeamsHost | BrowserHost;

export function themeFromTeams(name: string | undefined): ThemeName {
  if (name === 'dark') return 'dark';
  if (name === 'contrast') return 'contrast';
  return 'light';
}

/** In a browser: ?theme=, then the person's last choice, then the system's colours. */
export function browserTheme(search = location.search): ThemeName {
  const asked = new URLSearchParams(search).get('theme');
  if (asked === 'light' || asked === 'dark' || asked === 'contrast') return asked;
  try {
    // index.html read it already (a first storage access is a wait on the browser process).
    const early = (window as { __switchboardEarly?: { theme?: string | null } }).__switchboardEarly;
    const saved = early && 'theme' in early ? early.theme : localStorage.getItem('switchboard.theme');
    if (saved === 'light' || saved === 'dark' || saved === 'contrast') return saved;
  } catch {
    // Storage can be blocked (third-party iframe); the system preference still applies.
  }
  if (matchMedia('(forced-colors: active)').matches) return 'contrast';
  if (matchMedia('(prefers-color-scheme: dark)').matches) return 'dark';
  return 'light';
}

/**
 * The tab asks no host but its own server (it must work offline and leak nothing). teams-js fetches
 * a list of valid host origins from a CDN when it loads; refusing cross-origin fetches makes it use
 * the list it ships with, and keeps any later library honest too.
 */
export function installOfflineGuard(win: Window = window): void {
  const original = win.fetch.bind(win);
  win.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), win.location.href);
    if (url.origin !== win.location.origin) {
      return Promise.reject(new TypeError(`Switchboard tab: blocked request to ${url.origin}`));
    }
    return original(input, init);
  };
}

/** Could a Teams host be talking to us? It frames the tab (web, desktop) or injects nativeInterface (mobile). */
export function mayBeHosted(win: Window = window): boolean {
  return win.parent !== win || !!win.opener || 'nativeInterface' in win;
}

export function browserHost(reason: string): BrowserHost {
  return { kind: 'browser', theme: browserTheme(), reason };
}

export async function detectHost(timeoutMs = 4000): Promise<Host> {
  if (!mayBeHosted()) return browserHost('not framed by a host');
  try {
    // Loaded only when a host could be there: a plain browser never pays for it.
    const teams = await import('@microsoft/teams-js');
    await withTimeout(teams.app.initialize(), timeoutMs);
    const context = await withTimeout(teams.app.getContext(), timeoutMs);
    return {
      kind: 'teams',
      theme: themeFromTeams(context.app.theme),
      getToken: () => teams.authentication.getAuthToken(),
      // The size Microsoft's own samples open Entra's pages at.
      signInWindow: (url) => teams.authentication.authenticate({ url, width: 600, height: 535 }),
      onThemeChange: (cb) => teams.app.registerOnThemeChangeHandler((t) => cb(themeFromTeams(t))),
      page: { id: context.page.id, subPageId: context.page.subPageId },
    };
  } catch (err) {
    return {
      kind: 'browser',
      theme: browserTheme(),
      reason: err instanceof Error ? err.message : String(err),
    };
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from the host within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
