/**
 * The chat bundle's entry: wires the Direct Line connection, the persisted session and the view.
 * Loaded by the loader on first open (or at once when a chat is ongoing); registers itself as the
 * `SwitchboardChat` global.
 */
import type { ChatApi, LoaderBridge, StoredSession } from '../shared/bridge.js';
import { lastSeq } from '../shared/navigation.js';
import { loadVisitor, randomId, saveVisitor } from '../shared/storage.js';
import type { Activity, CardAction } from './activity.js';
import { AttachmentCache } from './attachments.js';
import { Connection, STREAM_QUIET_MS, type EndReason } from './connection.js';
import { navigationUpdate, visitorContext } from './context.js';
import { DirectLineApi, DirectLineError } from './directline.js';
import { preChatSummary, type PreChatAnswers } from './forms.js';
import { askTokenProvider } from './provider.js';
import {
  clearSession,
  endSession,
  loadSession,
  loadTranscript,
  saveSession,
  saveTranscript,
  transcriptFileName,
  transcriptText,
} from './session.js';
import { signedInToken } from './signin.js';
import { ChatView, type Status } from './view.js';
import {
  buildViewModel,
  isUnacknowledged,
  ownKey,
  PENDING_PREFIX,
  UNSENT_PREFIX,
  type ViewModel,
} from './viewmodel.js';

const TYPING_EVERY_MS = 3000;
/** A minimized chat reads this much of a new message aloud; the rest is in the chat. */
const MAX_ANNOUNCED_CHARS = 300;

export function mount(bridge: LoaderBridge): ChatApi {
  return new ChatController(bridge).api;
}

const END_NOTICES = {
  left: 'You ended the chat',
  'left-rated': 'You ended the chat. Thanks for your rating!',
  ended: 'This chat has ended',
  expired: 'This chat session expired',
} satisfies Record<EndReason | 'left' | 'left-rated', string>;

class ChatController {
  private readonly api_: DirectLineApi;
  /** This visitor's Direct Line user id, as the server assigned it ('' until the first token). */
  private userId = '';
  private readonly view: ChatView;
  private session: StoredSession | null;
  private activities: Activity[] = [];
  private readonly seen = new Set<string>();
  /**
   * Our messages the server acknowledged that the stream has not brought back yet. The copy this
   * page keeps leaves them out: it holds what the server stored (a card number masked), never what
   * was typed, and the stream brings them back from the watermark after a reload.
   */
  private readonly unechoed = new Set<string>();
  private conn: Connection | null = null;
  private status: Status = 'idle';
  /** A chat that could not start is tried again by itself (the service may be back in a moment). */
  private cancelStartRetry: (() => void) | null = null;
  private startFailures = 0;
  private vm: ViewModel | null = null;
  private endedLocally = false;
  /** This tab is telling the server the customer left: the stream's copy of it is no news here. */
  private leaving = false;
  private starting: Promise<void> | null = null;
  private unread = 0;
  private lastTypingSent = 0;
  private readonly attachments: AttachmentCache;
  /** The customer chose a guest chat after their sign-in was refused: for this page load only. */
  private asGuest = false;
  /**
   * A chat resumed from storage that the server has not yet shown to go on. Its history stays
   * hidden until then: the chat may have ended while no page was open (the agent closed it), and
   * whoever uses this browser next must not read it.
   */
  private unconfirmed = false;

  readonly api: ChatApi = {
    open: () => this.open(),
    close: () => this.close(),
    isOpen: () => !this.view.window.hidden,
  };

  constructor(private readonly bridge: LoaderBridge) {
    const { config, store } = bridge;
    this.api_ = new DirectLineApi(`${config.baseUrl}/v3/directline`);
    this.attachments = new AttachmentCache(this.api_, () => this.session?.token ?? null);
    const files = this.attachments;
    this.view = new ChatView(
      bridge.root,
      config.title,
      {
        send: (text, file) => void (file ? this.sendFile(file, text) : this.sendMessage(text)),
        action: (a) => this.onAction(a),
        preChat: (_key, answers) => this.submitPreChat(answers),
        csat: (_key, rating, comment) =>
          void this.sendMessage(`Rated ${rating} out of 5${comment ? ` — ${comment}` : ''}`, {
            csat: { rating, comment },
          }),
        typing: () => this.sendTyping(),
        close: () => this.close(),
        restart: () => void this.restart(),
        download: () => this.download(),
        end: (rating) => void this.endByCustomer(rating),
        guest: () => void this.chatAsGuest(),
        retry: (key) => void this.retry(key),
      },
      { canFetch: (url): url is string => files.canFetch(url), objectUrl: (url) => files.objectUrl(url) },
      config.userName ? { name: config.userName } : {},
    );
    bridge.onNavigation(() => void this.sendNavigation());
    this.watchNetwork();
    this.session = loadSession(store);
    if (this.session) this.userId = this.session.userId;
    this.view.setVerifiedName(this.session?.verifiedName);
    if (this.session) this.resume(this.session);
    else this.refresh();
  }

  /** `focus` is false when a reload restores an open chat: the host page keeps its focus. */
  open(focus = true): void {
    this.view.show();
    this.bridge.setOpen(true);
    this.unread = 0;
    this.bridge.setUnread(0);
    this.persist({ open: true });
    // A refused sign-in waits for the customer's choice rather than asking the host again.
    if (!this.session && !this.endedLocally && !this.activities.length && this.status !== 'refused')
      void this.start();
    if (focus) this.view.focusInput();
  }

  close(): void {
    if (this.view.window.hidden) return;
    this.view.hide();
    this.bridge.setOpen(false);
    this.persist({ open: false });
    this.bridge.launcher.focus();
  }

  /**
   * After a start that failed (the service or its database down for a moment): again in 5, 10, 20,
   * then every 30 s while the window is open, and at once when the device is back online, so the
   * customer is not left on "Unable to connect" until they think of typing.
   */
  private retryStartLater(): void {
    this.cancelStartRetry?.();
    const delay = Math.min(30_000, 5_000 * 2 ** this.startFailures++);
    const again = () => {
      this.cancelStartRetry?.();
      if (this.status === 'error' && !this.session && !this.view.window.hidden) void this.start();
    };
    const timer = setTimeout(again, delay);
    window.addEventListener('online', again);
    this.cancelStartRetry = () => {
      clearTimeout(timer);
      window.removeEventListener('online', again);
      this.cancelStartRetry = null;
    };
  }

  private start(): Promise<void> {
    this.starting ??= this.startConversation().finally(() => (this.starting = null));
    return this.starting;
  }

  private async startConversation(): Promise<void> {
    this.setStatus('connecting');
    try {
      const signIn = await this.chatToken();
      if (!signIn.ok) {
        this.setStatus('refused');
        this.view.setRefusal(signIn.message);
        return;
      }
      const generated = signIn.info;
      const verifiedName = verifiedNameOf(generated);
      saveVisitor(this.bridge.store, generated.visitor);
      this.userId = generated.userId;
      const conv = await this.api_.startConversation(
        generated.token,
        this.userId,
        navigator.language || 'en-US',
      );
      const expiresIn = conv.expires_in ?? generated.expires_in ?? 1800;
      this.session = {
        conversationId: conv.conversationId || generated.conversationId,
        token: conv.token || generated.token,
        tokenExpiresAt: Date.now() + expiresIn * 1000,
        userId: this.userId,
        navSeq: 0,
        open: !this.view.window.hidden,
        ...(verifiedName ? { verifiedName } : {}),
      };
      saveSession(this.bridge.store, this.session);
      this.view.setVerifiedName(verifiedName);
      const conn = this.connect(this.session, conv.streamUrl ?? '');
      await conn.ready;
      if (this.conn !== conn) return; // ended or restarted while connecting
    } catch (err) {
      console.warn('[switchboard] could not start a conversation', err);
      this.conn?.close();
      this.conn = null;
      this.session = null;
      clearSession(this.bridge.store);
      this.setStatus('error');
      this.retryStartLater();
      return;
    }
    this.startFailures = 0;
    try {
      await this.sendVisitorContext();
    } catch (err) {
      // The context helps the agent but the chat works without it: keep the conversation.
      console.warn('[switchboard] visitor context not sent', err);
    }
  }

  /**
   * The token for a new chat: signed in when the host page vouches for its customer (and they have
   * not chosen a guest chat since), as a guest otherwise.
   */
  private chatToken(): ReturnType<typeof signedInToken> {
    const visitor = loadVisitor(this.bridge.store);
    const name = this.bridge.config.authTokenProvider;
    return signedInToken(
      (authToken) => this.api_.widgetToken(visitor, authToken),
      name && !this.asGuest ? () => askTokenProvider(name) : null,
    );
  }

  private async chatAsGuest(): Promise<void> {
    this.asGuest = true;
    this.view.setRefusal(null);
    this.refresh();
    await this.start();
    this.view.focusInput();
  }

  private resume(session: StoredSession): void {
    this.activities = loadTranscript(this.bridge.store, session.conversationId);
    this.activities.forEach((a) => a.id && this.seen.add(a.id));
    // Without a local copy, fetch the history from the beginning rather than from the watermark.
    const from = this.activities.length ? session : { ...session, watermark: undefined };
    this.unconfirmed = true;
    this.refresh();
    this.connect(from, undefined);
    if (session.open) this.open(false);
  }

  /**
   * The server answered the resumed chat's catch-up and it goes on: its history shows, what was
   * left unsent before the reload goes now (under its ids: the server keeps a repeat once), and the
   * pages seen since are told.
   */
  private confirmed(): void {
    this.unconfirmed = false;
    this.refresh();
    const unsent = this.activities.filter((a) => a.id?.startsWith(PENDING_PREFIX));
    for (const a of unsent) void this.post(a);
    void this.sendNavigation();
  }

  /**
   * The resumed chat had ended while no page was open: nothing of it shows, and the next open
   * starts a new one, as on a first visit.
   */
  private forgetEnded(): void {
    this.conn?.close();
    this.conn = null;
    this.session = null;
    this.unconfirmed = false;
    endSession(this.bridge.store);
    this.activities = [];
    this.seen.clear();
    this.unechoed.clear();
    this.view.setVerifiedName(undefined);
    if (!this.view.window.hidden) {
      this.view.hide();
      this.bridge.setOpen(false);
    }
    this.setStatus('idle');
    this.refresh();
  }

  /**
   * A phone that loses its network, changes networks or sleeps can leave the stream dead without a
   * word; these moments are when to check rather than wait for the stream's silence to tell.
   */
  private watchNetwork(): void {
    window.addEventListener('online', () => this.conn?.resync());
    const wake = () => {
      if (document.visibilityState === 'visible') this.conn?.resync(STREAM_QUIET_MS);
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('pageshow', wake);
  }

  private connect(session: StoredSession, streamUrl: string | undefined): Connection {
    this.conn?.close();
    const conn = new Connection({
      api: this.api_,
      conversationId: session.conversationId,
      token: session.token,
      tokenExpiresAt: session.tokenExpiresAt,
      ...(session.watermark !== undefined ? { watermark: session.watermark } : {}),
      WebSocketImpl: typeof WebSocket === 'function' ? WebSocket : undefined,
      onActivities: (list, watermark) => this.receive(list, watermark),
      onToken: (token, tokenExpiresAt) => this.persist({ token, tokenExpiresAt }),
      onStatus: (s) => this.setStatus(s),
      onEnded: (reason) => this.onEnded(reason),
    });
    this.conn = conn;
    void conn.open(streamUrl || undefined);
    return conn;
  }

  private receive(list: Activity[], watermark?: string): void {
    let changed = false;
    /** The customer left from another tab of this chat (their own endOfConversation, echoed). */
    let leftElsewhere: Activity | null = null;
    /** The newest message from the other side while the window is minimized, to announce. */
    let unseen: Activity | null = null;
    let unseenCount = 0;
    for (const a of list) {
      if (a.id) {
        if (this.seen.has(a.id)) {
          if (this.storedAs(a)) changed = true;
          if (this.unechoed.delete(a.id)) changed = true;
          continue;
        }
        this.seen.add(a.id);
      }
      const mine = a.from?.id === this.userId;
      if (a.type === 'typing') {
        // Nameless typing while an agent has the chat is theirs, not the assistant's.
        if (!mine) this.view.showTyping(a.from?.name || this.vm?.agentName || this.bridge.config.title);
        continue;
      }
      if (mine && a.type === 'endOfConversation') leftElsewhere = a;
      if (mine && a.type !== 'message') continue; // our own events: nothing to show
      if (mine) {
        const pending = this.findPending(a);
        if (pending >= 0) this.activities[pending] = a;
        else this.activities.push(a);
      } else {
        this.activities.push(a);
        if (a.type === 'message') {
          this.view.hideTyping();
          if (this.view.window.hidden) {
            this.bridge.setUnread(++this.unread);
            if (a.text?.trim()) {
              unseen = a;
              unseenCount++;
            }
          }
        }
      }
      changed = true;
    }
    if (this.unconfirmed) {
      // The first catch-up: whether the chat went on while no page was open.
      if (buildViewModel(this.activities, this.userId, this.bridge.config.title).ended)
        return this.forgetEnded();
      this.confirmed();
    }
    if (changed) {
      this.refresh();
      // The agent reopened a chat the bot had ended: it goes on here, and a reload resumes it again.
      if (this.session && this.conn && this.endedLocally && this.vm && !this.vm.ended) {
        this.endedLocally = false;
        saveSession(this.bridge.store, this.session);
        this.refresh();
      }
      if (this.session && !this.endedLocally)
        saveTranscript(this.bridge.store, this.session.conversationId, this.activities, this.unechoed);
      // The bot ended it: the next open starts fresh, but this page keeps the link for the survey.
      if (this.vm?.ended) {
        this.endedLocally = true;
        endSession(this.bridge.store);
      }
    }
    if (unseen) this.announce(unseen, unseenCount);
    // Ended in another tab: this one ends with it rather than waiting for its stream to be refused.
    if (leftElsewhere && this.conn && !this.leaving && !this.endedLocally) {
      this.conn.close();
      this.onEnded(isObject(leftElsewhere.value) && 'csat' in leftElsewhere.value ? 'left-rated' : 'left');
    }
    if (watermark !== undefined) this.persist({ watermark });
  }

  /**
   * Says a message that came while the chat is minimized, outside the hidden window: the badge on
   * the launcher is silent, and every live region of the window is hidden with it.
   */
  private announce(a: Activity, count: number): void {
    const sender = a.from?.name?.trim() || this.bridge.config.title;
    const text = (a.text ?? '').trim();
    const said = text.length > MAX_ANNOUNCED_CHARS ? `${text.slice(0, MAX_ANNOUNCED_CHARS)}…` : text;
    const more = count > 1 ? `${count} new messages. ` : '';
    this.bridge.announce?.(`${more}New message from ${sender}: ${said}`);
  }

  /**
   * Our own message as the server stored it, when that differs from what was sent (a card number
   * is stored masked; an uploaded file gets its link only there): the chat, and the copy this page
   * keeps, show the stored one.
   */
  private storedAs(a: Activity): boolean {
    if (a.type !== 'message' || a.from?.id !== this.userId) return false;
    const i = this.activities.findIndex((p) => p.id === a.id);
    const local = this.activities[i];
    if (!local) return false;
    const sameFiles = JSON.stringify(local.attachments ?? []) === JSON.stringify(a.attachments ?? []);
    if (local.text === a.text && sameFiles) return false;
    const { attachments: _sent, ...rest } = local;
    this.activities[i] = { ...rest, text: a.text, ...(a.attachments ? { attachments: a.attachments } : {}) };
    return true;
  }

  /** Our own message echoed back by the stream: match it to the optimistic copy. */
  private findPending(a: Activity): number {
    const clientId = a.channelData?.clientActivityId;
    return this.activities.findIndex(
      (p) =>
        isUnacknowledged(p) &&
        (clientId
          ? p.channelData?.clientActivityId === clientId
          : (p.text ?? '') === (a.text ?? '') && fileNames(p) === fileNames(a)),
    );
  }

  /** The conversation to send in, starting one when there is none yet; null once ended here. */
  private async live(): Promise<{ session: StoredSession; conn: Connection } | null> {
    if (!this.session || !this.conn) {
      if (this.endedLocally) return null;
      await this.start();
    }
    return this.session && this.conn ? { session: this.session, conn: this.conn } : null;
  }

  private async sendMessage(text: string, value?: unknown): Promise<void> {
    const live = await this.live();
    if (!live) return;
    const clientActivityId = randomId();
    const activity: Activity = {
      type: 'message',
      from: this.from(),
      text,
      locale: navigator.language || 'en-US',
      timestamp: new Date().toISOString(),
      channelData: { clientActivityId },
      ...(value !== undefined ? { value } : {}),
    };
    this.activities.push({ ...activity, id: `${PENDING_PREFIX}${clientActivityId}` });
    this.refresh();
    // Kept as typed until the server has it: a reload sends it then rather than losing it.
    this.saveCopy(live.session);
    await this.post(activity, live.conn);
  }

  /**
   * Sends one of the customer's messages shown as sending. Given up on, it stays in the transcript
   * as not sent, with Retry; what the customer is typing meanwhile is theirs and left alone.
   */
  private async post(shown: Activity, conn = this.conn): Promise<void> {
    const clientActivityId = shown.channelData?.clientActivityId ?? '';
    const pendingId = `${PENDING_PREFIX}${clientActivityId}`;
    const { id: _local, ...activity } = shown;
    const session = this.session;
    try {
      if (!conn || !session) throw new Error('no conversation');
      this.acknowledge(pendingId, await conn.send(activity), session);
    } catch (err) {
      console.warn('[switchboard] message not sent', err);
      const i = this.activities.findIndex((a) => a.id === pendingId);
      if (i < 0) return; // the stream brought it back meanwhile: it was sent after all
      this.activities[i] = { ...this.activities[i]!, id: `${UNSENT_PREFIX}${clientActivityId}` };
      this.refresh();
      this.saveCopy(session);
    }
  }

  /** The customer's Retry on a message not sent: it goes again, under the same id. */
  private async retry(key: string): Promise<void> {
    const shown = this.activities.find(
      (a) => a.id?.startsWith(UNSENT_PREFIX) && ownKey(a.channelData?.clientActivityId ?? '') === key,
    );
    if (!shown || !(await this.live())) return;
    shown.id = `${PENDING_PREFIX}${shown.channelData?.clientActivityId}`;
    this.refresh();
    this.saveCopy(this.session);
    await this.post(shown);
  }

  private saveCopy(session: StoredSession | null): void {
    if (session && !this.endedLocally && session.conversationId === this.session?.conversationId)
      saveTranscript(this.bridge.store, session.conversationId, this.activities, this.unechoed);
  }

  /**
   * Uploads a file with its caption. It shows at once, as sending, and the stream's copy (which has
   * the file's link) takes its place. A refusal (too big, a type not taken) is said by the composer
   * in the server's words, and the caption goes back in the message box.
   */
  private async sendFile(file: File, caption: string): Promise<void> {
    const live = await this.live();
    if (!live) return this.view.fileFailed("The file couldn't be sent: the chat has ended.", caption);
    const clientActivityId = randomId();
    const activity: Activity = {
      type: 'message',
      from: this.from(),
      ...(caption ? { text: caption } : {}),
      locale: navigator.language || 'en-US',
      timestamp: new Date().toISOString(),
      channelData: { clientActivityId },
    };
    const pendingId = `${PENDING_PREFIX}${clientActivityId}`;
    const shown: Activity = { ...activity, attachments: [{ contentType: file.type, name: file.name }] };
    this.activities.push({ ...shown, id: pendingId });
    this.refresh();
    try {
      this.acknowledge(pendingId, await live.conn.upload(file, activity), live.session, shown);
    } catch (err) {
      console.warn('[switchboard] file not sent', err);
      this.activities = this.activities.filter((a) => a.id !== pendingId);
      this.refresh();
      const refused = err instanceof DirectLineError && err.status >= 400 && err.status < 500;
      if (refused) this.view.fileFailed(err.serverMessage ?? `“${file.name}” couldn't be sent.`, caption);
      // Not refused, only not delivered: the same file may well go on a second try.
      else
        this.view.fileFailed(
          `“${file.name}” couldn't be sent. Check your connection and try again.`,
          caption,
          file,
        );
    }
  }

  /**
   * The server stored what was sent as `id`: the copy shown stops being pending. When the stream
   * already brought it back (and it was not recognised as ours), the copy just goes.
   */
  private acknowledge(pendingId: string, id: string, session: StoredSession, sent?: Activity): void {
    const i = this.activities.findIndex((a) => a.id === pendingId);
    if (!id || i < 0) return;
    const local = this.activities[i]!;
    if (this.seen.has(id) && this.activities.some((a) => a.id === id)) this.activities.splice(i, 1);
    else {
      this.activities[i] = { ...(sent ?? local), id };
      this.unechoed.add(id);
    }
    this.seen.add(id);
    this.refresh();
    this.saveCopy(session);
  }

  private submitPreChat(answers: PreChatAnswers): void {
    const survey = [...(this.vm?.items ?? [])].reverse().find((i) => i.kind === 'preChat');
    // Closed while being filled in (the bot took the answers in the chat): nothing is owed.
    if (survey?.kind === 'preChat' && survey.submitted) return;
    const questions = survey?.kind === 'preChat' ? survey.questions : [];
    const summary = preChatSummary(questions, answers) || 'Pre-chat details submitted';
    void this.sendMessage(summary, { preChat: answers });
  }

  private onAction(action: CardAction): void {
    const text = typeof action.value === 'string' ? action.value : action.title;
    if (!text) return;
    if (action.type === 'postBack' || action.type === 'messageBack')
      void this.sendMessage(text, action.value);
    else void this.sendMessage(text);
  }

  private sendTyping(): void {
    const now = Date.now();
    if (!this.session || !this.conn || now - this.lastTypingSent < TYPING_EVERY_MS) return;
    this.lastTypingSent = now;
    this.conn.send({ type: 'typing', from: this.from() }).catch(() => {
      // typing is a courtesy; a lost one needs no retry
    });
  }

  private async sendVisitorContext(): Promise<void> {
    if (!this.session || !this.conn) return;
    const nav = this.bridge.navigation();
    const value = visitorContext(
      this.bridge.config,
      {
        userAgent: navigator.userAgent,
        language: navigator.language,
        maxTouchPoints: navigator.maxTouchPoints,
      },
      nav,
      Date.now(),
    );
    await this.sendEvent(this.conn, 'visitorContext', value);
    this.persist({ navSeq: lastSeq(nav) });
  }

  /** An event for the bot, with its own client id: a send left in doubt goes again safely (connection.ts). */
  private sendEvent(conn: Connection, name: string, value: unknown): Promise<string> {
    return conn.send({
      type: 'event',
      name,
      from: this.from(),
      value,
      channelData: { clientActivityId: randomId() },
    });
  }

  private async sendNavigation(): Promise<void> {
    if (!this.session || !this.conn || this.endedLocally) return;
    const nav = this.bridge.navigation();
    // Another tab of the same chat may have sent some already: storage has the latest mark.
    const sentSeq = Math.max(this.session.navSeq, loadSession(this.bridge.store)?.navSeq ?? 0);
    const value = navigationUpdate(nav, sentSeq);
    if (!value) return;
    this.persist({ navSeq: lastSeq(nav) });
    try {
      await this.sendEvent(this.conn, 'portalNavigation', value);
    } catch (err) {
      // navigation is context, not conversation: losing an entry must not disturb the chat
      console.warn('[switchboard] navigation not sent', err);
    }
  }

  /**
   * Tells the bot the customer left (Bot Framework `endOfConversation`, with their rating of the
   * agent when they gave one), then ends locally.
   */
  private async endByCustomer(rating?: number): Promise<void> {
    const conn = this.conn;
    if (!conn || !this.session) return;
    this.leaving = true;
    try {
      await conn.send({
        type: 'endOfConversation',
        from: this.from(),
        ...(rating ? { value: { csat: { rating } } } : {}),
      });
    } catch (err) {
      // The server times out a silent conversation anyway; the customer's wish to leave stands.
      console.warn('[switchboard] end of conversation not sent', err);
    }
    conn.close();
    this.leaving = false;
    if (this.conn === conn) this.onEnded(rating ? 'left-rated' : 'left');
  }

  private onEnded(reason: keyof typeof END_NOTICES): void {
    if (this.unconfirmed) return this.forgetEnded();
    this.conn = null;
    this.session = null;
    this.endedLocally = true;
    endSession(this.bridge.store);
    this.activities.push({
      type: 'event',
      name: 'sb:notice',
      id: `local:end:${Date.now()}`,
      value: { text: END_NOTICES[reason] },
    });
    this.setStatus('ended');
    this.refresh();
  }

  private async restart(): Promise<void> {
    this.conn?.close();
    this.conn = null;
    this.session = null;
    clearSession(this.bridge.store);
    this.view.setVerifiedName(undefined);
    this.activities = [];
    this.seen.clear();
    this.unechoed.clear();
    this.endedLocally = false;
    this.refresh();
    await this.start();
    this.view.focusInput();
  }

  private download(): void {
    const text = transcriptText(this.bridge.config.title, this.vm?.items ?? []);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = transcriptFileName(new Date());
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  private from(): { id: string; name?: string } {
    const name = this.bridge.config.userName;
    return name ? { id: this.userId, name } : { id: this.userId };
  }

  private persist(patch: Partial<StoredSession>): void {
    // Once ended, storage stays clear so the next page load starts a fresh chat.
    if (!this.session || this.endedLocally) return;
    this.session = { ...this.session, ...patch };
    saveSession(this.bridge.store, this.session);
  }

  private setStatus(status: Status): void {
    this.status = status;
    this.view.setStatus(status, this.vm);
  }

  private refresh(): void {
    this.vm = buildViewModel(this.unconfirmed ? [] : this.activities, this.userId, this.bridge.config.title);
    this.view.render(this.vm, this.endedLocally && !this.session);
    this.attachments.keep(shownFiles(this.vm));
    this.view.setCanEnd(!!this.session && !this.endedLocally && !this.vm.ended);
    this.view.setStatus(this.status, this.vm);
  }
}

/** The name to show as signed in: only what the server verified, never what the page claims. */
function verifiedNameOf(info: { verified?: { name?: unknown } }): string | undefined {
  const name = info.verified?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names of an activity's files: how a pending upload is known in the stream without its client id. */
function fileNames(a: Activity): string {
  return (a.attachments ?? []).map((x) => x.name ?? '').join('\n');
}

/** The links of the files the transcript shows, whose object URLs are still needed. */
function shownFiles(vm: ViewModel): Set<string> {
  const urls = new Set<string>();
  for (const item of vm.items)
    if (item.kind === 'message') for (const f of item.files) if (f.contentUrl) urls.add(f.contentUrl);
  return urls;
}
