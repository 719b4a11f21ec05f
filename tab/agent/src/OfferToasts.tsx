import { Badge, Button, Caption1, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Children, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from './api.js';
import { ClippedName } from './ClippedName.js';
import { useWorkspace } from './context.js';
import { CustomerAway } from './CustomerAway.js';
import { channelLabel, formatDuration, secondsUntil } from './format.js';
import type { Offer } from './types.js';
import { useServerNow } from './use-server-now.js';

const useStyles = makeStyles({
  region: {
    position: 'fixed',
    right: '16px',
    bottom: '16px',
    display: 'grid',
    gap: '12px',
    // Within the window however narrow (a phone, a zoomed page: WCAG 1.4.10), and scrolling within
    // itself when several toasts are taller than it.
    width: 'min(380px, calc(100vw - 32px))',
    // Its one column keeps that width whatever a toast holds (a long name, a long first message).
    gridTemplateColumns: 'minmax(0, 1fr)',
    maxHeight: 'calc(100vh - 32px)',
    overflowY: 'auto',
    boxSizing: 'border-box',
    zIndex: 1000,
  },
  toast: {
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    border: `2px solid ${tokens.colorBrandStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow28,
    padding: '12px 16px',
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap: '6px',
    minWidth: 0,
    // A word longer than the toast (a link, a name typed without spaces) breaks rather than push
    // Accept and Reject out of the window.
    overflowWrap: 'anywhere',
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', gap: '6px', flexWrap: 'wrap', alignItems: 'center' },
  quote: {
    margin: 0,
    padding: '6px 8px',
    borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
    fontStyle: 'italic',
    // A few lines say what it is about; the whole message is in the session once accepted.
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    WebkitLineClamp: 4,
    overflow: 'hidden',
  },
  actions: { display: 'flex', gap: '8px', justifyContent: 'flex-end' },
  why: { color: tokens.colorNeutralForeground2 },
});

export function OfferToasts({
  offers,
  onGone,
  onFocusLost,
  children,
}: {
  offers: Offer[];
  onGone: (offerId: string) => void;
  /** The keyboard was in a toast that went, and where it came from is gone too: the view takes it. */
  onFocusLost: () => void;
  /** Other asks that want the agent's eye the same way (ConsultToast). */
  children?: React.ReactNode;
}) {
  const styles = useStyles();
  const firstAccept = useRef<HTMLButtonElement | null>(null);
  const region = useRef<HTMLElement | null>(null);
  /** Where the keyboard was before a toast took it (Alt+Shift+O, Tab, a click): it goes back there. */
  const cameFrom = useRef<HTMLElement | null>(null);
  /** The keyboard is in a toast (or was, until a button it was on went disabled or away). */
  const holding = useRef(false);

  // Alt+Shift+O jumps to the newest offer from anywhere, without the toast stealing focus on arrival.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.shiftKey && e.code === 'KeyO') {
        e.preventDefault();
        const from = document.activeElement;
        if (firstAccept.current && from instanceof HTMLElement && !region.current?.contains(from))
          cameFrom.current = from;
        firstAccept.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A toast answered (Reject, Later) or run out takes its focused button with it, which would drop the
  // keyboard on the page: it goes back where it was, or to the view.
  const count = offers.length + Children.count(children);
  useLayoutEffect(() => {
    if (!holding.current) return;
    const at = document.activeElement;
    if (at && at !== document.body && region.current?.contains(at)) return;
    if (at && at !== document.body) {
      holding.current = false;
      return;
    }
    holding.current = false;
    const back = cameFrom.current;
    cameFrom.current = null;
    if (back?.isConnected && back.checkVisibility()) back.focus();
    else onFocusLost();
  });

  if (count === 0) return null;
  return (
    <section
      className={styles.region}
      aria-label="Incoming conversations"
      ref={region}
      onFocus={(e) => {
        holding.current = true;
        const from = e.relatedTarget;
        if (from instanceof HTMLElement && !e.currentTarget.contains(from)) cameFrom.current = from;
      }}
      onBlur={(e) => {
        // Gone elsewhere on purpose; a button going disabled or away blurs to nothing.
        if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget)) holding.current = false;
      }}
    >
      {children}
      {offers.map((o, i) => (
        <OfferToast
          key={o.offerId}
          offer={o}
          onGone={onGone}
          onAccepted={() => {
            // The session opened takes the keyboard to its message box.
            holding.current = false;
            cameFrom.current = null;
          }}
          acceptRef={i === offers.length - 1 ? firstAccept : undefined}
        />
      ))}
    </section>
  );
}

/** Who asked for a consult and about whom, as the stream's `conversation.assigned` frame says. */
export interface ConsultAsk {
  byName?: string;
  customerName?: string;
  queueName?: string | null;
}

// The asks' details by conversation, kept from the stream frame until the toast shows them (the
// workspace keeps only which conversations were asked about).
const asks = new Map<string, ConsultAsk>();

/** Keeps what the frame said of a consult ask; answers the words to announce it with. */
export function rememberConsultAsk(conversationId: string, ask: ConsultAsk): string {
  asks.set(conversationId, ask);
  return `${ask.byName ?? 'A colleague'} asked you to consult on the chat with ${ask.customerName ?? 'a customer'}: it is in your sessions`;
}

/**
 * A colleague brought this agent into a chat (/c). The session waits in the list, not forced on
 * screen; this says so where offers appear, so the ask is not missed while they work another chat.
 */
export function ConsultToast(props: {
  conversationId: string;
  customer: string;
  onOpen: () => void;
  onLater: () => void;
}) {
  const styles = useStyles();
  const titleId = `consult-${props.conversationId}-title`;
  const ask = asks.get(props.conversationId) ?? {};
  const customer = ask.customerName ?? props.customer;
  return (
    <div className={styles.toast} role="group" aria-labelledby={titleId} data-testid="consult-toast">
      <h2 className={styles.title} id={titleId}>
        {ask.byName ?? 'A colleague'} asked you to consult
      </h2>
      {/* Whom to answer is not named: by the time it is opened the chat may be someone else's. */}
      <Text size={200}>
        On the chat with {customer}
        {ask.queueName ? ` (${ask.queueName})` : ''}. Open it from your sessions to read the chat and answer
        with internal notes: the agents on the chat read them, the customer does not.
      </Text>
      <div className={styles.actions}>
        <Button onClick={props.onLater}>Later</Button>
        <Button appearance="primary" onClick={props.onOpen}>
          Open
        </Button>
      </div>
    </div>
  );
}

function OfferToast({
  offer,
  onGone,
  onAccepted,
  acceptRef,
}: {
  offer: Offer;
  onGone: (offerId: string) => void;
  onAccepted: () => void;
  acceptRef?: React.RefObject<HTMLButtonElement | null>;
}) {
  const styles = useStyles();
  const { api, openSession, announce } = useWorkspace();
  const now = useServerNow();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [total] = useState(() => Math.max(1, secondsUntil(offer.expiresAt, now)));

  const left = secondsUntil(offer.expiresAt, now);
  useEffect(() => {
    // The server withdraws an expired offer (offer.closed); this only tidies up if that frame is lost.
    if (left > 0) return;
    const t = setTimeout(() => onGone(offer.offerId), 3000);
    return () => clearTimeout(t);
  }, [left, offer.offerId, onGone]);

  const decide = async (accept: boolean) => {
    setBusy(true);
    try {
      if (accept) {
        await api.acceptOffer(offer.offerId);
        onAccepted();
        onGone(offer.offerId);
        openSession(offer.conversationId);
        announce(`Accepted the conversation with ${offer.customerName ?? 'the customer'}`);
      } else {
        await api.rejectOffer(offer.offerId);
        onGone(offer.offerId);
        announce('Offer rejected');
      }
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 409) {
        setProblem('This conversation is no longer offered to you.');
        setTimeout(() => onGone(offer.offerId), 2500);
      } else setProblem((err as Error).message);
    }
  };

  const titleId = `offer-${offer.offerId}-title`;
  const reason = offer.reason;
  return (
    <div className={styles.toast} role="group" aria-labelledby={titleId} data-testid="offer-toast">
      <h2 className={styles.title} id={titleId}>
        {offer.customerName ? <ClippedName name={offer.customerName} /> : 'A customer'} wants to chat
      </h2>
      <div className={styles.row}>
        {offer.channel && <Badge appearance="tint">{channelLabel(offer.channel)}</Badge>}
        {offer.queueName && (
          <Badge appearance="tint" color="brand">
            {offer.queueName}
          </Badge>
        )}
        {/* The customer waits on while the offer is up: the wait counts with the countdown. */}
        <Caption1 data-testid="offer-waiting">
          Waiting {formatDuration((offer.waitingSeconds ?? 0) + Math.max(0, total - left))}
        </Caption1>
      </div>
      {offer.customerAwaySince && <CustomerAway since={offer.customerAwaySince} inList />}
      {offer.transferredFrom && (
        <Text size={200} data-testid="offer-transferred-from">
          Transferred from {offer.transferredFrom}
        </Text>
      )}
      {/* A transferred chat's first message is long past: the handover note says where it stands,
          or else the customer's latest words do. */}
      {offer.handoverNote ? (
        <div data-testid="offer-handover-note">
          <Text size={200} weight="semibold">
            Note from {offer.handoverNote.by}
          </Text>
          <blockquote className={styles.quote} dir="auto">
            {offer.handoverNote.text}
          </blockquote>
        </div>
      ) : offer.transferredFrom && offer.lastCustomerMessage ? (
        <div data-testid="offer-latest-message">
          <Text size={200} weight="semibold">
            Latest from the customer
          </Text>
          <blockquote className={styles.quote} dir="auto">
            “{offer.lastCustomerMessage}”
          </blockquote>
        </div>
      ) : (
        offer.firstMessage && (
          <blockquote className={styles.quote} dir="auto">
            “{offer.firstMessage}”
          </blockquote>
        )
      )}
      {reason && (
        <Text size={200} className={styles.why}>
          <strong>Why you: </strong>
          {reason.summary ?? describeReason(reason)}
        </Text>
      )}
      <Text size={200} aria-live="off" data-testid="offer-countdown">
        {left > 0 ? `Expires in ${left} s` : 'Expired'}
      </Text>
      <ProgressBar
        value={left / total}
        color={left <= 5 ? 'error' : 'brand'}
        aria-label={`Time left to answer: ${left} seconds`}
      />
      {problem && (
        <Text role="alert" size={200}>
          {problem}
        </Text>
      )}
      <div className={styles.actions}>
        <Button onClick={() => void decide(false)} disabled={busy || left === 0}>
          Reject
        </Button>
        <Button
          appearance="primary"
          ref={acceptRef}
          onClick={() => void decide(true)}
          disabled={busy || left === 0}
          aria-keyshortcuts="Alt+Shift+O"
        >
          Accept
        </Button>
      </div>
    </div>
  );
}

function describeReason(r: NonNullable<Offer['reason']>): string {
  const parts: string[] = [];
  if (r.method) parts.push(`assignment by ${r.method.replace(/-/g, ' ')}`);
  if (r.freeUnits !== undefined) parts.push(`${r.freeUnits} free capacity units`);
  if (r.skills?.matched?.length) parts.push(`skills ${r.skills.matched.join(', ')}`);
  return parts.join('; ') || 'You were the best available match.';
}
