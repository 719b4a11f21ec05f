import type { WidgetConfig } from './config.js';
import type { KeyValueStore } from './storage.js';
import type { StoredNavEntry } from './navigation.js';

/**
 * What the loader hands the lazily loaded chat bundle. Both bundles are built separately, so this
 * interface (types only) is their whole contract.
 */
export interface LoaderBridge {
  config: WidgetConfig;
  /** The shadow root both bundles render into, isolated from the host page's CSS. */
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  store: KeyValueStore;
  /** The recorded navigation, oldest first. */
  navigation(): StoredNavEntry[];
  /** Called with each entry the host records while the chat bundle is loaded. */
  onNavigation(listener: () => void): void;
  /** Lets the chat show a count of unread messages on the launcher while closed. */
  setUnread(count: number): void;
  setOpen(open: boolean): void;
  /**
   * Says `text` politely to screen readers from outside the chat window (a message that came while
   * it is minimized). Optional: a loader cached from before it has none.
   */
  announce?(text: string): void;
}

export interface ChatApi {
  open(): void;
  close(): void;
  isOpen(): boolean;
}

/** The chat bundle assigns this global (Vite's IIFE `name`). */
export const CHAT_GLOBAL = 'SwitchboardChat';

export interface ChatModule {
  mount(bridge: LoaderBridge): ChatApi;
}

/** The persisted chat session; its presence means "a chat is ongoing" to the loader. */
export interface StoredSession {
  conversationId: string;
  token: string;
  /** Epoch ms when the token expires. */
  tokenExpiresAt: number;
  watermark?: string;
  userId: string;
  /** Highest navigation `seq` already sent to the conversation. */
  navSeq: number;
  /** Whether the chat window was open, so it stays open across page loads. */
  open: boolean;
  /**
   * The name the server verified when the chat started signed in: a reload shows it again without
   * asking the host for a token (the conversation keeps the identity on the server).
   */
  verifiedName?: string;
}
