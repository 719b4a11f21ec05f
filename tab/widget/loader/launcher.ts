import { icon } from '../shared/icons.js';
import { FONT_STACK } from '../shared/theme.js';

/** The round chat button: the only UI the loader draws before the chat bundle is needed. */

const CSS = `
:host { all: initial; }
.sb-launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border-radius: 50%; border: 0; padding: 0; margin: 0;
  display: grid; place-items: center; cursor: pointer;
  background: #0f6cbd; color: #fff; font-family: ${FONT_STACK};
  box-shadow: 0 8px 16px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12);
  transition: background-color .15s ease, transform .15s ease;
}
.sb-launcher:hover { background: #115ea3; transform: translateY(-1px); }
.sb-launcher:active { background: #0c3b5e; transform: none; }
.sb-launcher:focus-visible { outline: 2px solid #fff; outline-offset: -4px; box-shadow: 0 0 0 3px #0f6cbd, 0 8px 16px rgba(0,0,0,.2); }
.sb-launcher[aria-busy="true"] svg { opacity: .6; }
.sb-launcher svg { width: 26px; height: 26px; fill: currentColor; }
.sb-launcher .sb-icon-close { display: none; }
.sb-launcher[aria-expanded="true"] .sb-icon-chat { display: none; }
.sb-launcher[aria-expanded="true"] .sb-icon-close { display: block; }
.sb-badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px;
  box-sizing: border-box; border-radius: 10px; background: #c50f1f; color: #fff;
  font: 600 12px/20px ${FONT_STACK}; text-align: center; border: 2px solid #fff;
}
.sb-badge[hidden] { display: none; }
.sb-announce {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
@media (prefers-reduced-motion: reduce) { .sb-launcher { transition: none; } .sb-launcher:hover { transform: none; } }
@media print { .sb-launcher { display: none; } }
`;

export interface Launcher {
  button: HTMLButtonElement;
  setUnread(count: number): void;
  setOpen(open: boolean): void;
  setBusy(busy: boolean): void;
  /** Says `text` to screen readers, politely, from beside the button (outside the chat window). */
  announce(text: string): void;
}

export function createLauncher(root: ShadowRoot, title: string): Launcher {
  const style = document.createElement('style');
  style.textContent = CSS;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'sb-launcher';
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'sb-chat');
  const badge = document.createElement('span');
  badge.className = 'sb-badge';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  button.append(icon('chat', 'sb-icon-chat'), icon('chevronDown', 'sb-icon-close'), badge);
  // Outside the chat window, which is hidden while minimized and silences its own live regions.
  const announcer = document.createElement('div');
  announcer.className = 'sb-announce';
  announcer.setAttribute('role', 'status');
  announcer.setAttribute('aria-live', 'polite');
  root.append(style, button, announcer);

  let unread = 0;
  let open = false;
  const label = () => {
    const base = open ? `Minimize chat: ${title}` : `Open chat: ${title}`;
    button.setAttribute('aria-label', unread > 0 ? `${base} (${unread} unread)` : base);
  };
  label();
  return {
    button,
    setUnread(count) {
      unread = count;
      badge.hidden = count <= 0;
      badge.textContent = count > 9 ? '9+' : String(count);
      label();
    },
    setOpen(value) {
      open = value;
      button.setAttribute('aria-expanded', String(value));
      label();
    },
    setBusy(busy) {
      button.setAttribute('aria-busy', String(busy));
    },
    announce(text) {
      // A new node each time: the same words twice ("Alex: ok") are still read twice.
      const line = document.createElement('p');
      line.textContent = text;
      announcer.replaceChildren(line);
    },
  };
}
