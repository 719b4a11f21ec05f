/**
 * The embeddable loader: records portal navigation on every page load, draws the chat button, and
 * loads the chat bundle only when the visitor opens it (or at once when a chat is ongoing), so a
 * host page pays a few KB until someone wants to talk.
 */
import { readConfig, type WidgetConfig } from '../shared/config.js';
import { appendNav, parseNav, toEntry, type NavEntry, type StoredNavEntry } from '../shared/navigation.js';
import { browserStore, KEYS, readJson, writeJson, type KeyValueStore } from '../shared/storage.js';
import { CHAT_GLOBAL, type ChatApi, type ChatModule, type LoaderBridge } from '../shared/bridge.js';
import { createLauncher } from './launcher.js';

interface PublicApi {
  track(entry: { kind: 'search' | 'article' | 'page'; title?: string; url?: string }): void;
  setContext(context: Record<string, unknown>): void;
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    Switchboard?: PublicApi & { version: string };
    SwitchboardChat?: ChatModule;
  }
}

function currentScript(): HTMLScriptElement | null {
  const s = document.currentScript;
  if (s instanceof HTMLScriptElement) return s;
  return document.querySelector<HTMLScriptElement>('script[src*="/widget/loader.js"]');
}

function recordNavigation(store: KeyValueStore, entry: NavEntry): StoredNavEntry[] {
  const list = appendNav(parseNav(readJson(store, KEYS.navigation)), entry);
  writeJson(store, KEYS.navigation, list);
  return list;
}

function start(): void {
  if (window.Switchboard) return; // included twice: the first copy wins
  const script = currentScript();
  const config: WidgetConfig = readConfig(
    (n) => script?.getAttribute(n) ?? null,
    script?.src ?? '',
    location.href,
  );
  const store = browserStore();
  recordNavigation(store, {
    kind: 'page',
    title: document.title,
    url: location.href,
    at: new Date().toISOString(),
  });

  const host = document.createElement('div');
  host.id = 'switchboard-widget';
  // The widget's own words are English, left to right, whatever the host page is written in: an
  // Arabic page would otherwise put "?" before "What can we help you with" and have a screen reader
  // read it in Arabic. Messages and fields take their own text's direction (`dir="auto"`).
  host.lang = 'en';
  host.dir = 'ltr';
  const root = host.attachShadow({ mode: 'open' });
  const launcher = createLauncher(root, config.title);
  const navListeners: Array<() => void> = [];

  const bridge: LoaderBridge = {
    config,
    root,
    launcher: launcher.button,
    store,
    navigation: () => parseNav(readJson(store, KEYS.navigation)),
    onNavigation: (l) => void navListeners.push(l),
    setUnread: launcher.setUnread,
    setOpen: launcher.setOpen,
    announce: launcher.announce,
  };

  let chat: ChatApi | null = null;
  let loading: Promise<ChatApi> | null = null;
  const loadChat = (): Promise<ChatApi> => {
    loading ??= new Promise<ChatApi>((resolve, reject) => {
      launcher.setBusy(true);
      const el = document.createElement('script');
      el.src = `${config.baseUrl}/widget/chat.js`;
      el.async = true;
      el.onload = () => {
        const mod = window[CHAT_GLOBAL];
        if (!mod) return reject(new Error('chat bundle did not register'));
        chat = mod.mount(bridge);
        resolve(chat);
      };
      el.onerror = () => reject(new Error(`could not load ${el.src}`));
      document.head.append(el);
    })
      .catch((err: unknown) => {
        loading = null; // let the next click try again
        console.warn('[switchboard]', err);
        throw err;
      })
      .finally(() => launcher.setBusy(false));
    return loading;
  };

  const open = () =>
    void loadChat().then(
      (c) => c.open(),
      () => undefined,
    );
  launcher.button.addEventListener('click', () => {
    if (chat?.isOpen()) chat.close();
    else open();
  });

  window.Switchboard = {
    version: '1',
    track(input) {
      const entry = toEntry(input, new Date(), location.href);
      if (!entry) return console.warn('[switchboard] track() ignored an invalid entry');
      recordNavigation(store, entry);
      navListeners.forEach((l) => l());
    },
    setContext(context) {
      if (context && typeof context === 'object') Object.assign(config.context, context);
    },
    open,
    close: () => chat?.close(),
  };

  const attach = () => {
    document.body.append(host);
    // A chat in progress (from this or an earlier page) reconnects right away.
    if (readJson(store, KEYS.session)) void loadChat().catch(() => undefined);
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
}

start();
