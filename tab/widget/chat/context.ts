/**
 * The context events the agent sees beside the conversation (Omnichannel's visitor details, portal
 * navigation and custom context). Pure builders; the controller sends them.
 */
import { flatContext, type WidgetConfig } from '../shared/config.js';
import { recentNav, unsentNav, type NavEntry, type StoredNavEntry } from '../shared/navigation.js';
import { detectVisitor, type VisitorInput, type VisitorDetails } from '../shared/visitor.js';

export interface VisitorContextValue {
  visitor: VisitorDetails;
  portalNavigation: NavEntry[];
  custom: Record<string, string | number | boolean>;
  userName?: string;
}

/** Sent once, when the conversation starts: what was recorded in the 30 minutes before (`now`). */
export function visitorContext(
  config: WidgetConfig,
  browser: Omit<VisitorInput, 'authenticated'>,
  navigation: readonly StoredNavEntry[],
  now = Date.now(),
): VisitorContextValue {
  return {
    visitor: detectVisitor({ ...browser, authenticated: config.authenticated }),
    portalNavigation: unsentNav(recentNav(navigation, now), 0),
    custom: flatContext(config.context),
    ...(config.userName ? { userName: config.userName } : {}),
  };
}

/** Sent during the chat: what was recorded after `sentSeq`, or null when nothing is new. */
export function navigationUpdate(
  navigation: readonly StoredNavEntry[],
  sentSeq: number,
): { entries: NavEntry[] } | null {
  const entries = unsentNav(navigation, sentSeq);
  return entries.length ? { entries } : null;
}
