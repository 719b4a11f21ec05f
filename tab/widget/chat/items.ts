/** Draws conversation items: message bubbles, hero cards and notices. */
import type { CardAction } from './activity.js';
import { h } from './dom.js';
import { safeHref, splitLinks, splitMarkdown, type Span } from '../../shared/text.js';
import type { FileView, HeroCardView, ViewItem } from './viewmodel.js';

export type ActionHandler = (action: CardAction) => void;

/** Where a message's files come from (attachments.ts), and how the view keeps its scroll. */
export interface FileSource {
  canFetch(contentUrl: string | undefined): contentUrl is string;
  objectUrl(contentUrl: string): Promise<string | null>;
  /** Runs a change that makes the message taller, keeping the log at its end when it was there. */
  grow(change: () => void): void;
}

export function richText(text: string, markdown = true): DocumentFragment {
  const frag = document.createDocumentFragment();
  const spans: Span[] = markdown ? splitMarkdown(text) : splitLinks(text);
  for (const part of spans) {
    frag.append(
      part.kind === 'link'
        ? h('a', { attrs: { href: part.href, target: '_blank', rel: 'noopener noreferrer' } }, part.text)
        : part.bold
          ? h('strong', {}, part.text)
          : part.italic
            ? h('em', {}, part.text)
            : part.text,
    );
  }
  return frag;
}

export function timeLabel(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

type MessageItem = Extract<ViewItem, { kind: 'message' }>;

export function messageNode(
  item: MessageItem,
  onAction: ActionHandler,
  files: FileSource,
  onRetry: () => void,
): HTMLElement {
  const mine = item.role === 'customer';
  // `dir="auto"`: a message in Hebrew or Arabic reads right to left, whatever the page's direction.
  const bubble =
    item.text.trim() &&
    h(
      'div',
      { class: 'sb-bubble', attrs: { dir: 'auto' } },
      mine ? item.text : richText(item.text, item.markdown),
    );
  const node = h(
    'div',
    { class: `sb-msg ${mine ? 'sb-msg-me' : 'sb-msg-them'}`, attrs: { 'data-role': item.role } },
    item.showSender && h('div', { class: 'sb-sender' }, item.sender),
    // Screen readers hear who spoke even when the visible name is folded into a run.
    h('span', { class: 'sb-sr' }, mine ? 'You said: ' : `${item.sender} said: `),
    bubble,
    ...item.cards.map((c) => heroCardNode(c, onAction)),
    ...item.files.map((f) => fileNode(f, files)),
    h('div', { class: 'sb-meta' }),
  );
  setMessageState(node, item, onRetry);
  return node;
}

/**
 * Writes a message's state (sending, sent at, not sent with Retry) into its node in place: the log
 * announces additions, and a new node for each change would say the customer's message again.
 */
export function setMessageState(node: HTMLElement, item: MessageItem, onRetry: () => void): void {
  const meta = node.querySelector<HTMLElement>(':scope > .sb-meta');
  if (!meta) return;
  const time = timeLabel(item.timestamp);
  const mine = item.role === 'customer';
  node.toggleAttribute('data-pending', item.pending);
  node.toggleAttribute('data-failed', item.failed);
  if (mine && item.failed) {
    meta.replaceChildren(
      h('span', { class: 'sb-not-sent' }, 'Not sent'),
      h(
        'button',
        {
          class: 'sb-retry',
          attrs: { type: 'button', 'aria-label': `Retry sending: ${clipped(item.text)}` },
          on: { click: onRetry },
        },
        'Retry',
      ),
    );
  } else meta.textContent = mine ? (item.pending ? 'Sending…' : time && `Sent ${time}`) : time;
  meta.hidden = !meta.textContent;
}

function clipped(text: string): string {
  const t = text.trim();
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

/**
 * A file: its name at first (and for good when it cannot be fetched, or the page's CSP refuses
 * blob: images), then a thumbnail for images or a link that downloads it.
 */
export function fileNode(file: FileView, files: FileSource): HTMLElement {
  const box = h(
    'div',
    { class: 'sb-file-box' },
    h('span', { class: 'sb-file' }, h('span', { class: 'sb-sr' }, 'File: '), file.name),
  );
  if (!files.canFetch(file.contentUrl)) return box;
  void files.objectUrl(file.contentUrl).then((url) => {
    if (!url) return;
    const link = h('a', {
      class: file.image ? 'sb-thumb-link' : 'sb-file',
      attrs: { href: url, download: file.name },
    });
    if (!file.image) {
      link.append(h('span', { class: 'sb-sr' }, 'Download '), file.name);
      files.grow(() => box.replaceChildren(link));
      return;
    }
    const img = h('img', { class: 'sb-thumb', attrs: { alt: file.name } });
    img.addEventListener('load', () => {
      link.append(img);
      files.grow(() => box.replaceChildren(link));
    });
    img.src = url;
  });
  return box;
}

export function heroCardNode(card: HeroCardView, onAction: ActionHandler): HTMLElement {
  return h(
    'div',
    { class: 'sb-card' },
    card.title && h('div', { class: 'sb-card-title' }, card.title),
    card.subtitle && h('div', { class: 'sb-card-subtitle' }, card.subtitle),
    card.text && h('div', { class: 'sb-card-text', attrs: { dir: 'auto' } }, richText(card.text)),
    card.buttons.length > 0 &&
      h(
        'div',
        { class: 'sb-card-actions' },
        ...card.buttons.map((b) => actionButton(b, onAction, 'sb-card-btn')),
      ),
  );
}

/** imBack/postBack/messageBack send a reply; openUrl opens only http(s) targets. */
export function actionButton(action: CardAction, onAction: ActionHandler, className: string): HTMLElement {
  const label = action.title || (typeof action.value === 'string' ? action.value : '');
  if (action.type === 'openUrl') {
    const href = typeof action.value === 'string' ? safeHref(action.value) : null;
    if (!href) return h('span', { class: `${className} sb-disabled` }, label);
    return h('a', { class: className, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } }, label);
  }
  return h(
    'button',
    { class: className, attrs: { type: 'button' }, on: { click: () => onAction(action) } },
    label,
  );
}

export function noticeNode(text: string): HTMLElement {
  return h('div', { class: 'sb-notice' }, h('span', {}, text));
}
