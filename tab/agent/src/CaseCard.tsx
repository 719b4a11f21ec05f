import {
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { CaseChange, CaseChanges, CaseDetails } from './api.js';
import { useWorkspace } from './context.js';
import { formatDateTime, titleCase } from './format.js';
import type { CaseInfo, ConversationDetails } from './types.js';

const useStyles = makeStyles({
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  dl: {
    display: 'grid',
    gridTemplateColumns: 'fit-content(45%) minmax(0, 1fr)',
    gap: '2px 12px',
    margin: 0,
  },
  dt: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  dd: { margin: 0, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingLeft: '18px', display: 'grid', gap: '4px' },
  row: { display: 'flex', gap: '8px', alignItems: 'end', flexWrap: 'wrap' },
  form: { display: 'grid', gap: '8px' },
  muted: { color: tokens.colorNeutralForeground2 },
});

type Step = 'edit' | 'resolve' | 'cancel';

const FIELD_WORDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  caseType: 'type',
  product: 'product',
};

/** "CAS-01042 · Router drops Wi-Fi": how a case is named in pickers and lists. */
export function caseName(c: Pick<CaseInfo, 'number' | 'title'>): string {
  return c.number ? `${c.number} · ${c.title}` : c.title;
}

/** One change of the history in words, from the point of view of this conversation. */
function changeWords(h: CaseChange, conversationId: string): string {
  switch (h.action) {
    case 'opened':
      return 'opened the case';
    case 'linked':
      return h.conversationId === conversationId
        ? 'linked it to this conversation'
        : `linked it to conversation ${h.conversationId ?? ''}`;
    case 'edited':
      return `changed the ${(h.fields ?? []).map((f) => FIELD_WORDS[f] ?? f).join(', ')}`;
    case 'resolved':
      return `resolved it: ${h.text ?? ''}`;
    case 'cancelled':
      return `cancelled it: ${h.text ?? ''}`;
    case 'reactivated':
      return 'reactivated it';
  }
}

/**
 * The session's case: the conversation's current case with its owner, its history and what the
 * agent may do to it (edit, resolve, cancel, reactivate), or a case of the customer to link or a
 * new one to open; and the customer's recent cases, each by its number.
 */
export function CaseCard(props: {
  details: ConversationDetails;
  currentCaseId: string | undefined;
  recentCases: CaseInfo[] | undefined;
  /** The conversation's case changed (linked): the session reads the conversation again. */
  onLinked: () => void;
  /** The case itself changed: the customer's summary and its recent cases are read again. */
  onCaseChanged: () => void;
}) {
  const { details, currentCaseId, recentCases } = props;
  const styles = useStyles();
  const { api, announce } = useWorkspace();
  const [kase, setKase] = useState<CaseDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [existingCase, setExistingCase] = useState('');
  const [newCaseTitle, setNewCaseTitle] = useState('');
  const [step, setStep] = useState<Step | null>(null);
  const [busy, setBusy] = useState(false);
  // Where the keyboard goes back to when a form is put away: the button that opened it, or the
  // card's first action when the step took that button away (Resolve gives way to Reactivate).
  const opener = useRef<string | null>(null);
  const actions = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    setKase(null);
    setStep(null);
    if (!currentCaseId) return;
    let live = true;
    api.caseDetails(currentCaseId).then(
      (c) => live && setKase(c),
      (err: unknown) => live && setError((err as Error).message),
    );
    return () => {
      live = false;
    };
  }, [api, currentCaseId]);

  useEffect(() => {
    if (step !== null || opener.current === null || !actions.current) return;
    const buttons = [...actions.current.querySelectorAll('button')];
    (buttons.find((b) => b.textContent === opener.current) ?? buttons[0])?.focus();
    opener.current = null;
  }, [step, kase]);

  const closeForm = () => setStep(null);

  const open = (which: Step) => (e: MouseEvent<HTMLButtonElement>) => {
    opener.current = e.currentTarget.textContent;
    setError(null);
    setStep(which);
  };

  const run = async (work: () => Promise<CaseDetails>, said: (c: CaseDetails) => string) => {
    setBusy(true);
    try {
      const c = await work();
      setKase(c);
      setError(null);
      announce(said(c));
      closeForm();
      props.onCaseChanged();
    } catch (err) {
      setError((err as Error).message);
      // Refused most often because someone else changed the case (resolved it meanwhile): the
      // card shows the case as it is now, and the actions it allows.
      if (kase) {
        await api.caseDetails(kase.id).then(
          (now) => {
            if (now.status !== kase.status) closeForm();
            setKase(now);
          },
          () => undefined,
        );
      }
    } finally {
      setBusy(false);
    }
  };

  const linkCase = async (body: { caseId: string } | { title: string }) => {
    try {
      const c = await api.linkCase(details.id, body);
      announce(`Case ${c.title} linked`);
      setNewCaseTitle('');
      setError(null);
      // The session reads the conversation again; its new case id reloads this card and the timeline.
      props.onLinked();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const errorBar = error && (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{error}</MessageBarBody>
    </MessageBar>
  );

  return (
    <>
      <Card>
        <h3 className={styles.h3}>Case</h3>
        {errorBar}
        {currentCaseId ? (
          kase && (
            <>
              <dl className={styles.dl}>
                {(
                  [
                    ['Case', kase.title],
                    ['Number', kase.number],
                    ['Status', titleCase(kase.status)],
                    ['Priority', titleCase(kase.priority)],
                    ['Owner', kase.ownerName],
                    ['Resolution', kase.status === 'resolved' ? kase.resolution : undefined],
                    ['Cancelled because', kase.status === 'cancelled' ? kase.cancelReason : undefined],
                  ] as Array<[string, string | undefined]>
                )
                  .filter(([, v]) => v)
                  .map(([k, v]) => (
                    <div key={k} style={{ display: 'contents' }}>
                      <dt className={styles.dt}>{k}</dt>
                      <dd className={styles.dd} dir="auto">
                        {v}
                      </dd>
                    </div>
                  ))}
              </dl>
              {step === null && (
                <div className={styles.row} ref={actions} role="group" aria-label={`Case ${kase.number}`}>
                  {kase.status === 'active' ? (
                    <>
                      <Button onClick={open('edit')}>Edit</Button>
                      <Button onClick={open('resolve')}>Resolve</Button>
                      <Button onClick={open('cancel')}>Cancel case</Button>
                    </>
                  ) : (
                    <Button
                      disabled={busy}
                      onClick={(e) => {
                        opener.current = e.currentTarget.textContent;
                        void run(
                          () => api.reactivateCase(kase.id),
                          (c) => `Case ${c.number} reactivated`,
                        );
                      }}
                    >
                      Reactivate
                    </Button>
                  )}
                </div>
              )}
              {step === 'edit' && (
                <EditCase
                  kase={kase}
                  busy={busy}
                  onSave={(changes) =>
                    void run(
                      () => api.editCase(kase.id, changes),
                      (c) => `Case ${c.number} saved`,
                    )
                  }
                  onDiscard={closeForm}
                />
              )}
              {(step === 'resolve' || step === 'cancel') && (
                <CloseCase
                  step={step}
                  number={kase.number}
                  busy={busy}
                  onDone={(text) =>
                    void run(
                      () =>
                        step === 'resolve' ? api.resolveCase(kase.id, text) : api.cancelCase(kase.id, text),
                      (c) => `Case ${c.number} ${c.status}`,
                    )
                  }
                  onDiscard={closeForm}
                />
              )}
              <Text weight="semibold">History</Text>
              <ul className={styles.list} aria-label="Case history">
                {kase.history.map((h, i) => (
                  <li key={`${h.at}:${i}`}>
                    <bdi>{h.agentName}</bdi> <bdi>{changeWords(h, details.id)}</bdi>{' '}
                    <Text className={styles.muted}>{formatDateTime(h.at)}</Text>
                  </li>
                ))}
                {kase.history.length === 0 && <li className={styles.muted}>Nothing recorded.</li>}
              </ul>
            </>
          )
        ) : (
          <>
            <Text className={styles.muted}>No case linked to this conversation.</Text>
            {(recentCases?.length ?? 0) > 0 && (
              <div className={styles.row}>
                <Field label="Existing case">
                  <Select value={existingCase} onChange={(_, d) => setExistingCase(d.value)}>
                    <option value="">Choose a case…</option>
                    {recentCases!.map((c) => (
                      <option key={c.id} value={c.id}>
                        {caseName(c)}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button disabled={!existingCase} onClick={() => void linkCase({ caseId: existingCase })}>
                  Link case
                </Button>
              </div>
            )}
            <div className={styles.row}>
              <Field label="New case title">
                <Input
                  value={newCaseTitle}
                  onChange={(_, d) => setNewCaseTitle(d.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && newCaseTitle.trim())
                      void linkCase({ title: newCaseTitle.trim() });
                  }}
                  dir="auto"
                />
              </Field>
              <Button
                disabled={!newCaseTitle.trim()}
                onClick={() => void linkCase({ title: newCaseTitle.trim() })}
              >
                Create and link
              </Button>
            </div>
          </>
        )}
      </Card>
      <Card>
        <h3 className={styles.h3}>Recent cases</h3>
        {recentCases && recentCases.length === 0 && <Text className={styles.muted}>None.</Text>}
        <ul className={styles.list} aria-label="Recent cases">
          {recentCases?.map((c) => (
            <li key={c.id}>
              <bdi>{caseName(c)}</bdi>{' '}
              <Text className={styles.muted}>
                {[titleCase(c.status ?? ''), formatDateTime(c.createdAt)].filter(Boolean).join(' · ')}
              </Text>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}

function EditCase(props: {
  kase: CaseDetails;
  busy: boolean;
  onSave: (changes: CaseChanges) => void;
  onDiscard: () => void;
}) {
  const { kase } = props;
  const styles = useStyles();
  const [title, setTitle] = useState(kase.title);
  const [priority, setPriority] = useState(kase.priority);
  const [type, setType] = useState(kase.caseType);
  const [description, setDescription] = useState(kase.description);
  const save = () => {
    const changes: CaseChanges = {};
    if (title.trim() !== kase.title) changes.title = title.trim();
    if (priority !== kase.priority) changes.priority = priority;
    if (type !== kase.caseType) changes.type = type;
    if (description.trim() !== kase.description) changes.description = description.trim();
    if (Object.keys(changes).length === 0) props.onDiscard();
    else props.onSave(changes);
  };
  return (
    <form
      className={styles.form}
      aria-label={`Edit case ${kase.number}`}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onDiscard();
      }}
    >
      <Field label="Title">
        <Input value={title} onChange={(_, d) => setTitle(d.value)} dir="auto" autoFocus />
      </Field>
      <div className={styles.row}>
        <Field label="Priority">
          <Select value={priority} onChange={(_, d) => setPriority(d.value as CaseDetails['priority'])}>
            {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
              <option key={p} value={p}>
                {titleCase(p)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Type">
          <Select value={type} onChange={(_, d) => setType(d.value as CaseDetails['caseType'])}>
            {(['question', 'problem', 'request'] as const).map((t) => (
              <option key={t} value={t}>
                {titleCase(t)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Description">
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} rows={3} dir="auto" />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={props.busy || !title.trim()}>
          Save
        </Button>
        <Button onClick={props.onDiscard}>Discard</Button>
      </div>
    </form>
  );
}

function CloseCase(props: {
  step: 'resolve' | 'cancel';
  number: string;
  busy: boolean;
  onDone: (text: string) => void;
  onDiscard: () => void;
}) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const resolving = props.step === 'resolve';
  return (
    <form
      className={styles.form}
      aria-label={`${resolving ? 'Resolve' : 'Cancel'} case ${props.number}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) props.onDone(text.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onDiscard();
      }}
    >
      <Field label={resolving ? 'Resolution' : 'Reason'} required>
        <Textarea value={text} onChange={(_, d) => setText(d.value)} rows={2} dir="auto" autoFocus />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={props.busy || !text.trim()}>
          {resolving ? 'Resolve case' : 'Cancel case'}
        </Button>
        <Button onClick={props.onDiscard}>{resolving ? 'Discard' : 'Keep the case'}</Button>
      </div>
    </form>
  );
}
