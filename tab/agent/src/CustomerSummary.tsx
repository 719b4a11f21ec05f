import {
  Button,
  Card,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { CaseCard } from './CaseCard.js';
import { useWorkspace } from './context.js';
import { channelLabel, displayValue, formatDateTime, formatDuration, humanKey, titleCase } from './format.js';
import { PastTranscript } from './PastTranscript.js';
import { signedIn, unverifiedNotice, visitorShown, type CustomerMatch } from './signed-in.js';
import { timelineFacts, withOlder } from './timeline-entries.js';
import type { ConversationDetails, CustomerSummary, KnowledgeHit, TimelineEntry } from './types.js';

const useStyles = makeStyles({
  root: { display: 'grid', gap: '12px' },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  // A long label ("Email address on your account") wraps within its share instead of leaving the
  // value a column one character wide.
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
  muted: { color: tokens.colorNeutralForeground2 },
  // Four context tabs wrap in a narrow column rather than run off its edge.
  tabs: { flexWrap: 'wrap' },
  guest: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

type ContextTab = 'preChat' | 'portalNavigation' | 'visitor' | 'custom';
const CONTEXT_TABS: Array<[ContextTab, string]> = [
  ['preChat', 'Pre-chat survey'],
  ['portalNavigation', 'Portal navigation'],
  ['visitor', 'Visitor details'],
  ['custom', 'Additional details'],
];

/** A session's default page: who the customer is and what they did before reaching us. */
export function CustomerSummaryPage(props: {
  details: ConversationDetails;
  onChanged: () => void;
  onOpenArticle: (hit: KnowledgeHit) => void;
}) {
  const { details } = props;
  const styles = useStyles();
  const { api, announce } = useWorkspace();
  const [summary, setSummary] = useState<(CustomerSummary & CustomerMatch) | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[] | null>(null);
  // Where the older entries start; absent once the oldest is shown.
  const [olderFrom, setOlderFrom] = useState<string | undefined>(undefined);
  const [readingOlder, setReadingOlder] = useState(false);
  const [transcript, setTranscript] = useState<{ id: string; title: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ctxTab, setCtxTab] = useState<ContextTab>('preChat');
  const [note, setNote] = useState('');
  const customerId = details.customerId ?? (summary?.customer.id as string | undefined);

  const load = useCallback(() => {
    api.customerSummary(details.id).then(setSummary, (err: unknown) => setError((err as Error).message));
  }, [api, details.id]);
  const loadTimeline = useCallback(() => {
    if (!customerId) return;
    api.timeline(customerId).then(
      (page) => {
        setTimeline(page.items);
        setOlderFrom(page.nextCursor);
      },
      () => setTimeline([]),
    );
  }, [api, customerId]);
  const showOlder = async () => {
    if (!customerId || !olderFrom) return;
    setReadingOlder(true);
    try {
      const page = await api.timeline(customerId, olderFrom);
      setTimeline((shown) => withOlder(shown ?? [], page.items));
      setOlderFrom(page.nextCursor);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setReadingOlder(false);
    }
  };
  // Read again when the conversation's case changes, whoever linked it (this card, a macro).
  useEffect(load, [load, details.caseId]);
  useEffect(loadTimeline, [loadTimeline, details.caseId]);

  const addNote = async () => {
    if (!note.trim() || !customerId) return;
    try {
      await api.addCustomerNote(customerId, note.trim());
      setNote('');
      announce('Note added to the timeline');
      loadTimeline();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  // The summary route answers the context as shown to agents (questions with answers); the
  // conversation's raw context is the fallback while it loads.
  const ctx = details.context ?? {};
  const customer = summary?.customer;
  // Where the customer goes during the chat reaches the details live (conversation.updated); the
  // summary was read once.
  const navigation = (ctx.portalNavigation ?? summary?.portalNavigation ?? []) as Array<
    Record<string, unknown>
  >;
  const contextData: Record<Exclude<ContextTab, 'portalNavigation'>, Record<string, unknown>> = {
    preChat: summary?.preChat
      ? Object.fromEntries(summary.preChat.map((q) => [q.question, q.answer]))
      : (ctx.preChat ?? {}),
    visitor: visitorShown(summary?.visitor ?? ctx.visitor ?? {}),
    custom: summary?.additionalContext
      ? Object.fromEntries(summary.additionalContext.map((a) => [a.key, a.value]))
      : (ctx.custom ?? {}),
  };
  const conv = summary?.conversation;
  const notice = summary ? unverifiedNotice(summary, summary.visitor ?? {}) : undefined;
  return (
    <div className={styles.root}>
      {error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Card>
        <h3 className={styles.h3}>Customer</h3>
        {!summary && !error && <Spinner size="tiny" label="Loading…" />}
        {notice && (
          <Text weight="semibold" className={styles.guest}>
            {notice.label}
          </Text>
        )}
        {notice?.caution && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>{notice.caution}</MessageBarBody>
          </MessageBar>
        )}
        <KeyValues
          data={{
            Name: customer?.name ?? details.customerName,
            Email: customer?.email,
            Phone: customer?.phone,
            Kind: customer?.kind,
            Account: customer?.account,
            'Signed in': signedIn(summary?.visitor ?? ctx.visitor ?? {}),
          }}
        />
      </Card>
      <Card>
        <h3 className={styles.h3}>Conversation summary</h3>
        <TabList
          className={styles.tabs}
          selectedValue={ctxTab}
          onTabSelect={(_, d) => setCtxTab(d.value as ContextTab)}
          size="small"
          aria-label="Conversation summary"
        >
          {CONTEXT_TABS.map(([k, label]) => (
            <Tab key={k} value={k}>
              {label}
            </Tab>
          ))}
        </TabList>
        <div role="tabpanel" aria-label={CONTEXT_TABS.find(([k]) => k === ctxTab)![1]}>
          {ctxTab === 'portalNavigation' ? (
            navigation.length ? (
              <ol className={styles.list}>
                {navigation.map((p, i) => (
                  <li key={i}>
                    {displayValue(p.title ?? p.url)}{' '}
                    <Text className={styles.muted}>{formatDateTime(p.at as string | undefined)}</Text>
                  </li>
                ))}
              </ol>
            ) : (
              <Text className={styles.muted}>No pages recorded.</Text>
            )
          ) : (
            <KeyValues data={contextData[ctxTab]} empty="Nothing recorded." />
          )}
        </div>
      </Card>
      <Card>
        <h3 className={styles.h3}>Conversation details</h3>
        <KeyValues
          data={{
            Channel: channelLabel(conv?.channel ?? details.channel ?? '') || undefined,
            'Work stream': conv?.workstreamName,
            Queue: conv?.queueName ?? details.queueName,
            // The session's own record first: it follows the live stream, the summary was read once.
            Status: titleCase(details.status ?? conv?.status ?? '') || undefined,
            Waited: formatDuration(conv?.waitingSeconds ?? details.waitingSeconds),
            Started: formatDateTime(conv?.startedAt ?? details.startedAt ?? details.createdAt),
            Accepted: formatDateTime(conv?.acceptedAt ?? details.acceptedAt),
            'Required skills': (conv?.requiredSkills ?? details.requiredSkills)?.join(', '),
            Participants: details.participants
              ?.filter((p) => !p.leftAt)
              .map((p) => `${p.name ?? p.agentId} (${p.mode})`)
              .join(', '),
          }}
        />
      </Card>
      <CaseCard
        details={details}
        currentCaseId={details.caseId ?? summary?.currentCase?.id}
        recentCases={summary?.recentCases}
        onLinked={props.onChanged}
        onCaseChanged={() => {
          load();
          loadTimeline();
        }}
      />
      <Card>
        <h3 className={styles.h3}>Timeline</h3>
        <div className={styles.row}>
          <Field label="Quick note" style={{ flexGrow: 1 }}>
            <Textarea value={note} onChange={(_, d) => setNote(d.value)} rows={2} dir="auto" />
          </Field>
          <Button onClick={() => void addNote()} disabled={!note.trim() || !customerId}>
            Add note
          </Button>
        </div>
        {timeline === null && customerId && <Spinner size="tiny" label="Loading the timeline…" />}
        <ul className={styles.list} aria-label="Timeline">
          {timeline?.map((t) => (
            <li key={`${t.kind}:${t.id}`}>
              <Text weight="semibold">{humanKey(t.kind)}</Text>: <bdi>{t.title}</bdi>
              {t.id === details.id && ' (this chat)'}{' '}
              <Text className={styles.muted}>{[...timelineFacts(t), formatDateTime(t.at)].join(' · ')}</Text>
              {t.kind === 'conversation' && t.id !== details.id && (
                <>
                  {' '}
                  <Button
                    size="small"
                    appearance="transparent"
                    aria-label={`Open transcript: ${t.title}, ${formatDateTime(t.at)}`}
                    onClick={() => setTranscript({ id: t.id, title: `${t.title}, ${formatDateTime(t.at)}` })}
                  >
                    Open transcript
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
        {olderFrom && (
          <Button disabled={readingOlder} onClick={() => void showOlder()}>
            {readingOlder ? 'Reading older entries…' : 'Show older'}
          </Button>
        )}
        {transcript && (
          <PastTranscript
            conversationId={transcript.id}
            title={transcript.title}
            onClose={() => setTranscript(null)}
          />
        )}
      </Card>
    </div>
  );
}

function KeyValues({ data, empty }: { data: Record<string, unknown>; empty?: string }) {
  const styles = useStyles();
  const entries = Object.entries(data).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return <Text className={styles.muted}>{empty ?? '—'}</Text>;
  return (
    <dl className={styles.dl}>
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt className={styles.dt}>{/^[A-Z]/.test(k) ? k : humanKey(k)}</dt>
          {/* What the customer answered, in their own script and direction. */}
          <dd className={styles.dd} dir="auto">
            {displayValue(v)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
