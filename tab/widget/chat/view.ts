/**
 * The chat window's DOM. It renders a ViewModel by key, replacing only items whose content changed,
 * so a half-filled form or the scroll position survives new activities.
 */
import type { CardAction } from './activity.js';
import { h } from './dom.js';
import { csatForm, preChatForm, starPicker, type PreChatAnswers, type StarPicker } from './forms.js';
import { ACCEPTED_TYPES, fileProblem, fileSizeLabel } from './files.js';
import { actionButton, messageNode, noticeNode, setMessageState, type FileSource } from './items.js';
import { codePointCount, fitEdit, hasVisibleText, MAX_MESSAGE_CODE_POINTS } from './message-text.js';
import { CHAT_CSS } from './styles.js';
import { queueText, type ViewItem, type ViewModel } from './viewmodel.js';
import { icon } from '../shared/icons.js';

/** `refused`: the server would not take the visitor's sign-in, and the chat waits for their choice. */
export type Status = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'ended' | 'error' | 'refused';

export interface ViewHandlers {
  /** `file`, when the customer attached one, goes with `text` as its caption. */
  send(text: string, file?: File): void;
  action(action: CardAction): void;
  preChat(key: string, answers: PreChatAnswers): void;
  csat(key: string, rating: number, comment: string): void;
  typing(): void;
  close(): void;
  restart(): void;
  download(): void;
  /** The customer ends the chat (after confirming), rating the agent who served them or not. */
  end(rating?: number): void;
  /** After their sign-in was refused, the customer chose to chat without it. */
  guest(): void;
  /** Sends again a message that could not be sent (`key`: its item). */
  retry(key: string): void;
}

export class ChatView {
  readonly window: HTMLElement;
  private readonly log: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly bannerText: HTMLElement;
  private readonly suggested: HTMLElement;
  private readonly typingRow: HTMLElement;
  private readonly typingText: HTMLElement;
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  /** Said when the message reached the most one may hold, or when what was typed or pasted was cut. */
  private readonly limitNote: HTMLElement;
  /** The message box's text as last fitted within the limit: what an edit is measured against. */
  private fitted = '';
  private readonly sendButton: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  /** The file picked and waiting for Send, with a way to take it back. */
  private readonly stagedRow: HTMLElement;
  private readonly stagedName: HTMLElement;
  private staged: File | null = null;
  /** Why a file was refused (here, or by the server), said at once. */
  private readonly fileError: HTMLElement;
  /** Says, to screen readers, that a file is attached: the row showing it appears with its text. */
  private readonly fileStatus = h('p', { class: 'sb-sr', attrs: { role: 'status' } });
  private readonly files: FileSource;
  private readonly endbar: HTMLElement;
  private readonly endButton: HTMLButtonElement;
  private readonly confirmBar: HTMLElement;
  private readonly rateRow: HTMLElement;
  private readonly rateLabel: HTMLElement;
  private readonly rating: StarPicker;
  private readonly empty: HTMLElement;
  private readonly emptyText: HTMLElement;
  /**
   * Why the server refused the visitor's sign-in. Always in the empty chat, empty when all is well:
   * an alert whose text changes is announced by every screen reader.
   */
  private readonly refusal = h('p', { class: 'sb-refusal', attrs: { role: 'alert' } });
  private readonly guestButton: HTMLButtonElement;
  private refused = false;
  /** "Signed in as …": who the agent sees, when the server verified it. */
  private readonly identity = h('p', { class: 'sb-identity' });
  private readonly avatar = h('div', { class: 'sb-avatar', attrs: { 'aria-hidden': 'true' } }, icon('bot'));
  private avatarFor: string | null = null;
  private readonly nodes = new Map<string, { sig: string; state: string; node: HTMLElement }>();
  /**
   * Says that a message could not be sent, once for each that fails: its "Not sent" and Retry
   * change a message already in the log, which the log does not announce.
   */
  private readonly sendAlert = h('p', { class: 'sb-sr', attrs: { role: 'alert' } });
  private failedKeys = new Set<string>();
  /**
   * Whether the customer follows the end of the transcript, as of their last scroll. Kept rather
   * than measured when something changes: a notice, the typing row or a bar appearing below the
   * transcript shortens it first, and measured then, a customer who was at the end seems not to be.
   */
  private pinned = true;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly newChatButton: HTMLButtonElement;
  /** Whether the chat was over at the last render: its end is when the message box goes. */
  private wasOver = false;
  /**
   * The chat ended while the customer was in its controls (the message box, the end confirmation):
   * focus goes to the rating form, or "Start a new chat" until the form comes, rather than the page.
   */
  private focusOnEnd = false;

  constructor(
    root: ShadowRoot,
    private readonly title: string,
    private readonly handlers: ViewHandlers,
    files: Omit<FileSource, 'grow'>,
    /** Pre-chat answers the page already gave (forms.ts `preChatForm`). */
    private readonly knownAnswers: PreChatAnswers = {},
  ) {
    this.files = {
      canFetch: (url): url is string => files.canFetch(url),
      objectUrl: (url) => files.objectUrl(url),
      grow: (change) => {
        change();
        if (this.pinned) this.scrollToEnd();
      },
    };
    const style = h('style', {}, CHAT_CSS);
    this.statusText = h('span', {}, '');
    this.status = h('p', { class: 'sb-subtitle' }, h('span', { class: 'sb-dot' }), this.statusText);
    this.bannerText = h('span', {});
    this.banner = h(
      'div',
      { class: 'sb-banner', attrs: { role: 'status' } },
      h('span', { class: 'sb-spinner' }),
      this.bannerText,
    );
    this.banner.hidden = true;
    this.emptyText = h('span', {}, 'Connecting you to our assistant…');
    this.guestButton = h(
      'button',
      { class: 'sb-primary', attrs: { type: 'button' }, on: { click: () => handlers.guest() } },
      'Chat as a guest',
    );
    this.guestButton.hidden = true;
    this.empty = h('div', { class: 'sb-empty' }, this.emptyText, this.refusal, this.guestButton);
    this.identity.hidden = true;
    this.log = h('div', {
      class: 'sb-log',
      attrs: {
        role: 'log',
        'aria-live': 'polite',
        'aria-relevant': 'additions',
        'aria-label': 'Conversation',
        tabindex: '0',
      },
    });
    this.log.append(this.empty);
    this.followEnd();
    this.suggested = h('div', {
      class: 'sb-suggested',
      attrs: { role: 'group', 'aria-label': 'Suggested replies' },
    });
    this.typingText = h('span', {});
    this.typingRow = h(
      'div',
      { class: 'sb-typing', attrs: { 'aria-live': 'polite' } },
      h('span', { class: 'sb-dots', attrs: { 'aria-hidden': 'true' } }, h('i'), h('i'), h('i')),
      this.typingText,
    );
    this.typingRow.hidden = true;
    this.input = h('textarea', {
      class: 'sb-textarea',
      attrs: {
        dir: 'auto',
        rows: '1',
        placeholder: 'Type your message',
        'aria-label': 'Type your message',
      },
    });
    this.limitNote = h(
      'p',
      { class: 'sb-limit', attrs: { 'aria-live': 'polite' } },
      `A message holds up to ${MAX_MESSAGE_CODE_POINTS.toLocaleString('en-US')} characters: send this part and write the rest in another.`,
    );
    this.limitNote.hidden = true;
    this.sendButton = h(
      'button',
      { class: 'sb-send', attrs: { type: 'submit', 'aria-label': 'Send' } },
      icon('send'),
    );
    this.fileInput = h('input', {
      attrs: {
        type: 'file',
        accept: ACCEPTED_TYPES.join(','),
        'aria-label': 'Attach a file',
        tabindex: '-1',
      },
    });
    // The button below is what people and assistive technology use; the input only opens the picker.
    this.fileInput.hidden = true;
    const attachButton = h(
      'button',
      {
        class: 'sb-attach',
        attrs: { type: 'button', 'aria-label': 'Attach a file', title: 'Attach a file' },
        on: { click: () => this.fileInput.click() },
      },
      icon('attach'),
    );
    this.stagedName = h('span', { class: 'sb-staged-name' });
    this.stagedRow = h(
      'div',
      { class: 'sb-staged', attrs: { role: 'group', 'aria-label': 'File to send' } },
      this.stagedName,
      h(
        'button',
        {
          class: 'sb-staged-remove',
          attrs: { type: 'button', 'aria-label': 'Remove the file', title: 'Remove the file' },
          on: {
            click: () => {
              this.stage(null);
              this.input.focus();
            },
          },
        },
        icon('dismiss'),
      ),
    );
    this.stagedRow.hidden = true;
    // Always in the page, empty when all is well: an alert that appears with its text is not
    // announced by every screen reader, one whose text changes is.
    this.fileError = h('p', { class: 'sb-file-error', attrs: { role: 'alert' } });
    this.composer = h(
      'form',
      { class: 'sb-composer' },
      attachButton,
      this.fileInput,
      this.input,
      this.sendButton,
    );
    this.newChatButton = h(
      'button',
      { class: 'sb-primary', attrs: { type: 'button' }, on: { click: () => handlers.restart() } },
      'Start a new chat',
    );
    this.endbar = h('div', { class: 'sb-endbar' }, this.newChatButton);
    this.endbar.hidden = true;
    // Ending is final, so it asks once; Escape or "Keep chatting" backs out.
    const keep = h('button', { class: 'sb-secondary', attrs: { type: 'button' } }, 'Keep chatting');
    const confirmEnd = h('button', { class: 'sb-danger', attrs: { type: 'button' } }, 'End chat');
    // Whoever an agent served may rate them as they leave: the survey the bot asks for when the
    // agent ends the chat is never seen by a customer who ends it first.
    const rateLabelId = 'sb-rate-label';
    this.rateLabel = h('span', { attrs: { id: rateLabelId } }, '');
    this.rating = starPicker(rateLabelId);
    this.rateRow = h('div', { class: 'sb-confirm-rate' }, this.rateLabel, this.rating.element);
    this.rateRow.hidden = true;
    this.confirmBar = h(
      'div',
      { class: 'sb-confirm', attrs: { role: 'group', 'aria-label': 'End the chat?' } },
      h('div', { class: 'sb-confirm-row' }, h('span', {}, 'End this chat?'), keep, confirmEnd),
      this.rateRow,
    );
    this.confirmBar.hidden = true;
    const hideConfirm = () => {
      this.confirmBar.hidden = true;
      this.focusInput();
    };
    keep.addEventListener('click', hideConfirm);
    confirmEnd.addEventListener('click', () => {
      this.focusOnEnd = true;
      this.confirmBar.hidden = true;
      const rating = this.rateRow.hidden ? 0 : this.rating.value();
      handlers.end(rating || undefined);
    });
    this.confirmBar.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Escape') return;
      ev.stopPropagation();
      hideConfirm();
    });
    this.endButton = h(
      'button',
      {
        class: 'sb-icon-btn',
        attrs: { type: 'button', 'aria-label': 'End chat', title: 'End chat' },
        on: {
          click: () => {
            this.rating.reset();
            this.confirmBar.hidden = false;
            confirmEnd.focus();
          },
        },
      },
      icon('dismiss'),
    );
    this.endButton.hidden = true;
    const titleId = 'sb-title';
    this.window = h(
      'section',
      {
        class: 'sb-window',
        attrs: { id: 'sb-chat', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId },
      },
      // Not a <header>: inside the dialog it would be one more banner landmark on the host's page.
      h(
        'div',
        { class: 'sb-header' },
        this.avatar,
        h(
          'div',
          { class: 'sb-titles' },
          // The host page's own words, in its language: they take their own direction.
          h('h2', { class: 'sb-title', attrs: { id: titleId } }, h('bdi', {}, title)),
          this.status,
          this.identity,
        ),
        h(
          'button',
          {
            class: 'sb-icon-btn',
            attrs: { type: 'button', 'aria-label': 'Download transcript', title: 'Download transcript' },
            on: { click: () => handlers.download() },
          },
          icon('download'),
        ),
        h(
          'button',
          {
            class: 'sb-icon-btn',
            attrs: { type: 'button', 'aria-label': 'Minimize chat', title: 'Minimize' },
            on: { click: () => handlers.close() },
          },
          icon('chevronDown'),
        ),
        this.endButton,
      ),
      this.banner,
      this.log,
      this.typingRow,
      this.suggested,
      this.confirmBar,
      this.fileError,
      this.fileStatus,
      this.sendAlert,
      this.stagedRow,
      this.composer,
      this.limitNote,
      this.endbar,
      h('div', { class: 'sb-footer' }, 'Powered by Switchboard'),
    );
    this.window.hidden = true;
    root.append(style, this.window);
    this.wireComposer();
    this.window.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        handlers.close();
      }
    });
  }

  /** The end button shows only while there is a conversation the customer can end. */
  setCanEnd(canEnd: boolean): void {
    this.endButton.hidden = !canEnd;
    if (!canEnd) this.confirmBar.hidden = true;
  }

  show(): void {
    this.window.hidden = false;
    this.scrollToEnd();
  }

  hide(): void {
    this.window.hidden = true;
  }

  /** The verified name the agent sees; nothing shows for a guest or a token without a name. */
  setVerifiedName(name: string | undefined): void {
    this.identity.textContent = name ? `Signed in as ${name}` : '';
    this.identity.hidden = !name;
  }

  /**
   * The server refused the visitor's sign-in (`message`, its words) and the chat waits for them to
   * choose a guest chat; null takes that back.
   */
  setRefusal(message: string | null): void {
    this.refused = !!message;
    this.refusal.textContent = message ?? '';
    this.guestButton.hidden = !message;
    this.emptyText.hidden = !!message;
    // Nothing to send to until they choose: a message typed now would go nowhere.
    if (message) this.composer.hidden = true;
    if (message && !this.window.hidden) this.guestButton.focus();
  }

  /** Focus on what the chat asks of the customer now: the survey, the message box, the rating. */
  focusInput(): void {
    const field = this.openSurveyField();
    if (this.refused) this.guestButton.focus();
    else if (field) field.focus();
    else if (!this.composer.hidden && !this.input.disabled) this.input.focus();
    else if (!this.endbar.hidden) (this.openRating() ?? this.newChatButton).focus();
    else this.log.focus();
  }

  /** The first field of a pre-chat form still to fill in: required before the chat goes on. */
  private openSurveyField(): HTMLElement | null {
    return this.log.querySelector<HTMLElement>('form[data-prechat] .sb-input:not(:disabled)');
  }

  /** The star that takes focus in a rating form still to send. */
  private openRating(): HTMLElement | null {
    const stars = this.log.querySelectorAll<HTMLElement>('form .sb-stars .sb-star[tabindex="0"]');
    return stars[stars.length - 1] ?? null;
  }

  private activeElement(): Element | null {
    const root = this.window.getRootNode();
    return root instanceof ShadowRoot || root instanceof Document ? root.activeElement : null;
  }

  setStatus(status: Status, vm: ViewModel | null): void {
    const text =
      status === 'connecting'
        ? 'Connecting…'
        : status === 'reconnecting'
          ? 'Reconnecting…'
          : status === 'error'
            ? 'Unable to connect'
            : status === 'refused'
              ? 'Not connected'
              : status === 'ended' || vm?.ended
                ? 'Conversation ended'
                : vm?.agentName
                  ? `Chatting with ${vm.agentName}`
                  : vm?.queue
                    ? 'Waiting for an agent'
                    : vm?.transferring
                      ? 'Waiting for the next agent'
                      : 'Online';
    this.statusText.textContent = text;
    const agent = vm?.agentName && !vm.ended ? vm.agentName : null;
    if (agent !== this.avatarFor) {
      this.avatarFor = agent;
      this.avatar.replaceChildren(agent ? initials(agent) : icon('bot'));
    }
    this.status.dataset.status = vm?.ended
      ? 'ended'
      : status === 'online' && (vm?.queue || vm?.transferring) && !vm.agentName
        ? 'waiting'
        : status;
    if (status === 'error')
      this.emptyText.textContent =
        "We couldn't reach the chat service. We'll keep trying; you can also type your message.";
  }

  /**
   * A file did not go: says why, and gives back the caption (before anything typed since) and, when
   * sending it again may work, the file.
   */
  fileFailed(message: string, caption: string, file?: File): void {
    this.showFileError(message);
    if (caption) {
      const typed = this.input.value;
      this.setComposerText(hasVisibleText(typed) ? `${caption}\n${typed}` : caption);
    }
    if (file && !this.staged) this.stage(file);
  }

  setComposerText(text: string): void {
    this.input.value = text;
    this.fitted = '';
    this.keepWithinLimit();
    this.autosize();
  }

  /**
   * Fits the message box's last edit within the limit (`maxlength` would count UTF-16 units and cut
   * an emoji in two), and says so whenever something was cut or refused, or the box is full.
   */
  private keepWithinLimit(): void {
    const fit = fitEdit(this.fitted, this.input.value);
    if (fit.text !== this.input.value) {
      this.input.value = fit.text;
      this.input.setSelectionRange(fit.caret, fit.caret);
    }
    this.fitted = fit.text;
    this.limitNote.hidden = !fit.cut && codePointCount(fit.text) < MAX_MESSAGE_CODE_POINTS;
  }

  render(vm: ViewModel, ended: boolean): void {
    if (vm.items.length) this.empty.remove();
    // Read before anything is hidden: a hidden control keeps focus until the browser notices.
    const active = this.activeElement();
    const inControls = !!active && (this.composer.contains(active) || this.confirmBar.contains(active));
    const waitingForSurvey =
      !!active && (active === this.input ? !hasVisibleText(this.input.value) : active === this.log);
    let newSurvey = false;
    const seen = new Set<string>();
    let prev: HTMLElement | null = null;
    const failed = new Set<string>();
    for (const item of vm.items) {
      seen.add(item.key);
      const { sig, state } = signature(item);
      let entry = this.nodes.get(item.key);
      if (!entry || entry.sig !== sig) {
        const node = this.itemNode(item);
        if (item.kind === 'preChat' && !item.submitted) newSurvey = true;
        if (entry) entry.node.replaceWith(node);
        entry = { sig, state, node };
        this.nodes.set(item.key, entry);
      } else if (entry.state !== state && item.kind === 'message') {
        setMessageState(entry.node, item, () => this.handlers.retry(item.key));
        entry.state = state;
      }
      if (item.kind === 'message' && item.failed) failed.add(item.key);
      const expected: Element | null = prev ? prev.nextElementSibling : this.log.firstElementChild;
      if (expected !== entry.node) {
        if (prev) prev.after(entry.node);
        else this.log.prepend(entry.node);
      }
      prev = entry.node;
    }
    for (const [key, entry] of this.nodes) {
      if (!seen.has(key)) {
        entry.node.remove();
        this.nodes.delete(key);
      }
    }
    if (!vm.items.length) this.log.append(this.empty);
    // Said when one more fails: the count keeps a second failure from reading as the first.
    if ([...failed].some((k) => !this.failedKeys.has(k)))
      this.sendAlert.textContent = `${failed.size === 1 ? "A message couldn't" : `${failed.size} messages couldn't`} be sent. Check your connection, then choose Retry beside it.`;
    else if (!failed.size) this.sendAlert.textContent = '';
    this.failedKeys = failed;

    this.suggested.replaceChildren(
      ...vm.suggestedActions.map((a) => actionButton(a, (x) => this.act(x), 'sb-chip')),
    );
    this.banner.hidden = !vm.queue;
    this.bannerText.textContent = vm.queue ? queueText(vm.queue) : '';
    const over = ended || vm.ended;
    this.composer.hidden = over || this.refused;
    if (over) {
      this.limitNote.hidden = true;
      this.stage(null);
      this.showFileError('');
    }
    this.endbar.hidden = !over;
    this.rateRow.hidden = over || !vm.servedBy;
    this.rateLabel.textContent = vm.servedBy ? `Rate your chat with ${vm.servedBy} (optional)` : '';
    if (over) this.hideTyping();
    if (this.pinned) this.scrollToEnd();
    if (this.window.hidden) return;
    // The survey came after the chat opened on the message box: it is what the bot waits for.
    if (newSurvey && waitingForSurvey) this.openSurveyField()?.focus();
    this.moveFocusAtEnd(over, inControls);
  }

  private moveFocusAtEnd(over: boolean, inControls: boolean): void {
    if (over && !this.wasOver && inControls) this.focusOnEnd = true;
    if (!over && this.wasOver) this.focusOnEnd = false; // a new chat, or the agent reopened it
    this.wasOver = over;
    // Set by "End chat" too, before the end is known: it waits for the chat to be over.
    if (!over || !this.focusOnEnd) return;
    const active = this.activeElement();
    const movedOn =
      !!active &&
      this.window.contains(active) &&
      active !== this.newChatButton &&
      !this.composer.contains(active) &&
      !this.confirmBar.contains(active);
    if (movedOn) {
      this.focusOnEnd = false;
      return;
    }
    const rating = this.openRating();
    if (rating) this.focusOnEnd = false;
    (rating ?? this.newChatButton).focus();
  }

  showTyping(name: string): void {
    this.typingText.textContent = `${name} is typing…`;
    this.typingRow.hidden = false;
    clearTimeout(this.typingTimer);
    // Bot Framework clients send typing about every 3 s while typing; silence means they stopped.
    this.typingTimer = setTimeout(() => this.hideTyping(), 6000);
  }

  hideTyping(): void {
    clearTimeout(this.typingTimer);
    this.typingRow.hidden = true;
  }

  private itemNode(item: ViewItem): HTMLElement {
    switch (item.kind) {
      case 'message':
        return messageNode(
          item,
          (a) => this.act(a),
          this.files,
          () => this.handlers.retry(item.key),
        );
      case 'notice':
        return noticeNode(item.text);
      case 'preChat':
        return preChatForm(
          item.questions,
          item.inChat ? 'in-chat' : item.submitted,
          (answers) => this.keepFocus(() => this.handlers.preChat(item.key, answers)),
          this.knownAnswers,
        );
      case 'csat':
        return csatForm(item.submitted, (rating, comment) =>
          this.keepFocus(() => this.handlers.csat(item.key, rating, comment)),
        );
    }
  }

  private act(action: CardAction): void {
    this.keepFocus(() => this.handlers.action(action));
  }

  /**
   * Runs something that re-renders the control that has focus (a chip, a submitted form); focus
   * would fall to the page body, and Escape or typing would no longer reach the chat.
   */
  private keepFocus(run: () => void): void {
    run();
    queueMicrotask(() => {
      const active =
        this.window.getRootNode() instanceof ShadowRoot
          ? (this.window.getRootNode() as ShadowRoot).activeElement
          : null;
      if (!active || !this.window.contains(active)) this.focusInput();
    });
  }

  private stage(file: File | null): void {
    this.staged = file;
    this.stagedRow.hidden = !file;
    this.stagedName.textContent = file ? `${file.name} (${fileSizeLabel(file.size)})` : '';
    this.fileStatus.textContent = file ? `${file.name} attached. Send it with or without a message.` : '';
  }

  private showFileError(message: string): void {
    this.fileError.textContent = message;
  }

  private atBottom(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
  }

  private scrollToEnd(): void {
    this.pinned = true;
    this.log.scrollTop = this.log.scrollHeight;
  }

  /**
   * Keeps a customer who follows the end there when the transcript's box changes size: whatever
   * appears or goes below it (the typing row, suggested replies, a file's refusal, the confirmation
   * bar, the end of the chat) resizes it without a render. One who scrolled up keeps their place.
   */
  private followEnd(): void {
    // A resize that cuts the view keeps scrollTop and fires no scroll event; one that grows it
    // clamps scrollTop and fires one, at the end: either way `pinned` stays what the customer chose.
    this.log.addEventListener('scroll', () => (this.pinned = this.atBottom()), { passive: true });
    if (typeof ResizeObserver !== 'function') return;
    new ResizeObserver(() => {
      if (this.pinned) this.scrollToEnd();
    }).observe(this.log);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, 120)}px`;
  }

  private wireComposer(): void {
    const submit = () => {
      // Text that shows nothing is sent as no text: the server refuses a message of it.
      const text = hasVisibleText(this.input.value) ? this.input.value.trim() : '';
      const file = this.staged;
      if (!text && !file) return;
      if (file) this.handlers.send(text, file);
      else this.handlers.send(text);
      this.setComposerText('');
      this.stage(null);
      this.showFileError('');
    };
    const canAttach = () => !this.composer.hidden && !this.input.disabled;
    const pick = (file: File) => {
      const problem = fileProblem(file);
      this.showFileError(problem ?? '');
      // A refused pick leaves a file picked before it in place.
      if (!problem) this.stage(file);
      this.input.focus();
    };
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      // Emptied so that picking the same file again (after removing it) fires change again.
      this.fileInput.value = '';
      if (file) pick(file);
    });
    // A screenshot pasted, or a file dropped on the chat, is attached as a picked one is: shown
    // above the message box, sent only with Send. A paste with text is text: Word and Excel put a
    // picture of what was copied beside it.
    this.input.addEventListener('paste', (ev) => {
      const file = ev.clipboardData?.files[0];
      if (!file || ev.clipboardData?.types.includes('text/plain') || !canAttach()) return;
      ev.preventDefault();
      pick(file);
    });
    const carriesFiles = (ev: DragEvent) => ev.dataTransfer?.types.includes('Files') === true;
    this.window.addEventListener('dragover', (ev) => {
      if (!carriesFiles(ev)) return;
      // Without this the browser would open the file in place of the host page.
      ev.preventDefault();
      ev.dataTransfer!.dropEffect = canAttach() ? 'copy' : 'none';
      this.window.classList.toggle('sb-dropping', canAttach());
    });
    this.window.addEventListener('dragleave', (ev) => {
      if (!this.window.contains(ev.relatedTarget as Node | null)) this.window.classList.remove('sb-dropping');
    });
    this.window.addEventListener('drop', (ev) => {
      if (!carriesFiles(ev)) return;
      ev.preventDefault();
      this.window.classList.remove('sb-dropping');
      const file = ev.dataTransfer?.files[0];
      if (file && canAttach()) pick(file);
    });
    this.composer.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit();
      this.input.focus();
    });
    this.input.addEventListener('keydown', (ev) => {
      // Enter sends, Shift+Enter adds a line; IME composition keeps Enter for itself.
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        submit();
      }
    });
    this.input.addEventListener('input', (ev) => {
      // Cut mid-composition, an IME would lose the text it is composing: it is fitted once composed.
      if (!(ev as InputEvent).isComposing) this.keepWithinLimit();
      this.autosize();
      if (hasVisibleText(this.input.value)) this.handlers.typing();
    });
    this.input.addEventListener('compositionend', () => this.keepWithinLimit());
  }
}

/**
 * What a node shows (`sig`: rebuilt when it changes) apart from a message's state (`state`: written
 * into the node in place, so the log does not announce the customer's message once more).
 */
function signature(item: ViewItem): { sig: string; state: string } {
  if (item.kind !== 'message') return { sig: JSON.stringify(item), state: '' };
  const { pending, failed, timestamp, ...content } = item;
  return { sig: JSON.stringify(content), state: JSON.stringify([pending, failed, timestamp]) };
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}
