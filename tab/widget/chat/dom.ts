/**
 * The one way the chat builds DOM. Children that are strings become text nodes, so nothing from the
 * conversation can ever be parsed as HTML.
 */
type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  attrs?: Record<string, string | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined) el.setAttribute(name, value);
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    el.addEventListener(type, listener as EventListener);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

let counter = 0;
/** Unique ids for label/aria wiring inside the shadow root. */
export function uid(prefix: string): string {
  return `${prefix}-${++counter}`;
}
