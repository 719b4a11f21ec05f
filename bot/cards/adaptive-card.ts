// The slice of the Adaptive Card schema our cards use, typed so a builder cannot produce an element
// Teams would drop. Version 1.5 is what Teams renders on desktop, web and mobile, and Universal Actions
// (Action.Execute with refresh) need 1.4 or later.

export const CARD_VERSION = '1.5';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large';
  separator?: boolean;
  maxLines?: number;
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  separator?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large';
}

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

export type CardElement = TextBlock | FactSet | Container | ActionSet;

export interface ExecuteAction {
  type: 'Action.Execute';
  title?: string;
  verb: string;
  data: Record<string, string>;
  style?: 'default' | 'positive' | 'destructive';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export type CardAction = ExecuteAction | OpenUrlAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardAction[];
  /** Universal Actions: clients of the listed Teams users fetch the card's current state when shown. */
  refresh?: { action: ExecuteAction; userIds?: string[] };
}

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function card(
  body: CardElement[],
  extra: Pick<AdaptiveCard, 'actions' | 'refresh'> = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(extra.actions && extra.actions.length > 0 ? { actions: extra.actions } : {}),
    ...(extra.refresh ? { refresh: extra.refresh } : {}),
  };
}

export const text = (value: string, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...opts,
});

export const facts = (pairs: Array<[string, string]>): FactSet => ({
  type: 'FactSet',
  facts: pairs.map(([title, value]) => ({ title, value })),
});

export const execute = (
  title: string,
  verb: string,
  data: Record<string, string>,
  style?: ExecuteAction['style'],
): ExecuteAction => ({ type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) });

export const openUrl = (title: string, url: string): OpenUrlAction => ({
  type: 'Action.OpenUrl',
  title,
  url,
});

/**
 * Adaptive Card text is Markdown: what a customer typed must not turn into a link, bold or a heading
 * in an agent's card (CommonMark backslash escapes).
 */
export function plain(value: string): string {
  return value.replace(/([\\`*_[\]#])/g, '\\$1');
}

/** "4 min 05 s" style waits. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** An attachment carrying the card, as Bot Framework activities hold it. */
export function attachment(c: AdaptiveCard): {
  contentType: typeof CARD_CONTENT_TYPE;
  content: AdaptiveCard;
} {
  return { contentType: CARD_CONTENT_TYPE, content: c };
}
