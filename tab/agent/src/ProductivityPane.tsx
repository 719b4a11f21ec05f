import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  Checkbox,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDebounced, useStreamEvents, useWorkspace } from './context.js';
import { formatDateTime, titleCase } from './format.js';
import { MacroResults } from './MacroResults.js';
import type {
  AgentScript,
  AssistSuggestion,
  ConversationDetails,
  ConversationSummary,
  KnowledgeHit,
  MacroResult,
  Note,
  ScriptStep,
} from './types.js';

const useStyles = makeStyles({
  root: { overflowY: 'auto', minHeight: 0, backgroundColor: tokens.colorNeutralBackground1 },
  h2: { margin: '10px 12px 4px', fontSize: tokens.fontSizeBase400 },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'grid', gap: '8px' },
  nested: { margin: '6px 0 0 16px', padding: 0, listStyleType: 'none', display: 'grid', gap: '6px' },
  step: { display: 'grid', gap: '4px' },
  muted: { color: tokens.colorNeutralForeground2 },
  suggestion: {
    display: 'grid',
    gap: '2px',
    padding: '6px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', gap: '6px', alignItems: 'center', flexWrap: 'wrap' },
});

/** The right-hand pane: the work stream's agent script, smart assist with its reasons, summaries, notes. */
export function ProductivityPane(props: {
  conversationId: string;
  details: ConversationDetails | null;
  /** How many messages came live since the session opened: suggestions and summary follow them. */
  heard: number;
  onOpenArticle: (hit: KnowledgeHit) => void;
  /** A macro changed the conversation (a case linked, a field set): the session reads it again. */
  onChanged: () => void;
  /** The conversation's agent works through the script; a consultant or a monitor reads it. */
  canWorkScript: boolean;
  className?: string;
}) {
  const styles = useStyles();
  return (
    <aside className={mergeClasses(styles.root, props.className)} aria-label="Productivity pane">
      <h2 className={styles.h2}>Productivity</h2>
      <Accordion multiple collapsible defaultOpenItems={['script', 'assist', 'summary', 'notes']}>
        <AccordionItem value="script">
          <AccordionHeader as="h3">Agent script</AccordionHeader>
          <AccordionPanel>
            <ScriptSection
              conversationId={props.conversationId}
              canWork={props.canWorkScript}
              onOpenArticle={props.onOpenArticle}
              onChanged={props.onChanged}
            />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="assist">
          <AccordionHeader as="h3">Smart assist</AccordionHeader>
          <AccordionPanel>
            <AssistSection
              conversationId={props.conversationId}
              heard={props.heard}
              onOpenArticle={props.onOpenArticle}
            />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="summary">
          <AccordionHeader as="h3">Summary</AccordionHeader>
          <AccordionPanel>
            <SummarySection
              conversationId={props.conversationId}
              caseId={props.details?.caseId}
              heard={props.heard}
            />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="notes">
          <AccordionHeader as="h3">Notes</AccordionHeader>
          <AccordionPanel>
            <NotesSection conversationId={props.conversationId} />
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </aside>
  );
}

function ScriptSection(props: {
  conversationId: string;
  scriptId?: string;
  canWork: boolean;
  onOpenArticle: (hit: KnowledgeHit) => void;
  onChanged: () => void;
}) {
  const { conversationId, scriptId } = props;
  const styles = useStyles();
  const { api, announce } = useWorkspace();
  const [script, setScript] = useState<AgentScript | null | undefined>(undefined);
  const [results, setResults] = useState<Record<string, MacroResult[]>>({});
  const [openNested, setOpenNested] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  /** A step or macro that failed: said beside the script, which stays as it was. */
  const [failed, setFailed] = useState<string | null>(null);

  const load = useCallback(() => {
    api.script(conversationId, scriptId).then(setScript, (err: unknown) => setError((err as Error).message));
  }, [api, conversationId, scriptId]);
  useEffect(load, [load]);

  const done = async (step: ScriptStep, isDone = true) => {
    setFailed(null);
    try {
      const r = isDone
        ? await api.markStepDone(conversationId, step.id, scriptId)
        : await api.markStepUndone(conversationId, step.id, scriptId);
      const next = r && 'script' in r ? r.script : (r as AgentScript);
      if (next?.steps) setScript(next);
      else setScript((s) => s && markDone(s, step.id, isDone));
      announce(`${isDone ? 'Step done' : 'Step not done'}: ${step.text ?? step.label ?? ''}`);
    } catch (err) {
      setFailed(`Could not mark the step ${isDone ? 'done' : 'not done'}: ${(err as Error).message}`);
    }
  };

  const runMacro = async (step: ScriptStep) => {
    if (!step.macroId) return;
    setFailed(null);
    try {
      const { results: out } = await api.runMacro(conversationId, step.macroId);
      setResults((cur) => ({ ...cur, [step.id]: out }));
      announce(`Macro ran: ${out.map((r) => r.message).join('; ') || 'nothing to do'}`);
      // The server marks the steps that run this macro as done.
      load();
      if (out.some((r) => r.outcome === 'done' && CHANGES_CONVERSATION.has(r.action))) props.onChanged();
    } catch (err) {
      setFailed(`The macro did not run: ${(err as Error).message}`);
    }
  };

  const renderSteps = (steps: ScriptStep[], nested = false) => (
    <ol className={nested ? styles.nested : styles.list}>
      {steps.map((s) => (
        <li key={s.id} className={styles.step}>
          {/* A tick by mistake is taken back by unticking it (the script keeps who did which). */}
          {s.kind === 'text' && (
            <Checkbox
              checked={!!s.done}
              disabled={!props.canWork}
              label={s.text ?? s.label}
              onChange={(_, d) => void done(s, d.checked === true)}
            />
          )}
          {s.kind === 'macro' && (
            <div className={styles.row}>
              <Text>{s.label ?? s.text}</Text>
              {(props.canWork || s.done) && (
                <Button
                  size="small"
                  onClick={() => void runMacro(s)}
                  disabledFocusable={!!s.done}
                  // Two macro steps read apart: each button names its step.
                  aria-label={`${s.done ? 'Macro ran' : 'Run macro'}: ${s.label ?? s.text ?? ''}`}
                >
                  {s.done ? 'Macro ran' : 'Run macro'}
                </Button>
              )}
            </div>
          )}
          {s.kind === 'script' && (
            <div>
              <div className={styles.row}>
                <Text weight="semibold">{s.label ?? s.text ?? 'Nested script'}</Text>
                {props.canWork ? (
                  <Button size="small" onClick={() => void done(s)} disabledFocusable={!!s.done}>
                    {s.done ? 'Done' : 'Mark done'}
                  </Button>
                ) : (
                  s.done && <Badge color="success">Done</Badge>
                )}
              </div>
              {s.steps && renderSteps(s.steps, true)}
              {!s.steps && s.scriptId && (
                <Button
                  size="small"
                  appearance="subtle"
                  aria-expanded={!!openNested[s.id]}
                  onClick={() => setOpenNested((cur) => ({ ...cur, [s.id]: !cur[s.id] }))}
                >
                  {openNested[s.id] ? 'Hide nested script' : 'Open nested script'}
                </Button>
              )}
              {!s.steps && s.scriptId && openNested[s.id] && (
                <div className={styles.nested}>
                  <ScriptSection
                    conversationId={conversationId}
                    scriptId={s.scriptId}
                    canWork={props.canWork}
                    onOpenArticle={props.onOpenArticle}
                    onChanged={props.onChanged}
                  />
                </div>
              )}
            </div>
          )}
          {results[s.id] && <MacroResults results={results[s.id]!} onOpenArticle={props.onOpenArticle} />}
        </li>
      ))}
    </ol>
  );

  if (error) return <Text className={styles.muted}>Script unavailable: {error}</Text>;
  if (script === undefined) return <Spinner size="tiny" label="Loading the script…" />;
  if (!script) return <Text className={styles.muted}>No script for this work stream.</Text>;
  return (
    <div>
      <Text weight="semibold">{script.name}</Text>
      {renderSteps(script.steps)}
      {failed && (
        <Text role="alert" size={200}>
          {failed}
        </Text>
      )}
    </div>
  );
}

/** Macro actions whose effect shows in the session's summary (the case card, the details). */
const CHANGES_CONVERSATION = new Set(['create-case', 'set-field']);

function markDone(s: AgentScript, stepId: string, done = true): AgentScript {
  const walk = (steps: ScriptStep[]): ScriptStep[] =>
    steps.map((x) => (x.id === stepId ? { ...x, done } : x.steps ? { ...x, steps: walk(x.steps) } : x));
  return { ...s, steps: walk(s.steps) };
}

/**
 * Calls `reload` when `heard` changes after the first render: what was said before the pane was
 * shown is in its first read already, which is read once.
 */
function useReloadOnNews(heard: number, reload: () => void): void {
  const readWith = useRef(heard);
  useEffect(() => {
    if (heard === readWith.current) return;
    readWith.current = heard;
    reload();
  }, [heard, reload]);
}

function AssistSection(props: {
  conversationId: string;
  heard: number;
  onOpenArticle: (hit: KnowledgeHit) => void;
}) {
  const styles = useStyles();
  const { api, announce } = useWorkspace();
  const [items, setItems] = useState<AssistSuggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.assist(props.conversationId).then(setItems, (err: unknown) => setError((err as Error).message));
  }, [api, props.conversationId]);
  const reload = useDebounced(load, 800);
  useEffect(load, [load]);
  // New customer messages change what is relevant.
  useReloadOnNews(props.heard, reload);

  if (error) return <Text className={styles.muted}>Suggestions unavailable: {error}</Text>;
  if (!items) return <Spinner size="tiny" label="Finding suggestions…" />;
  if (items.length === 0) return <Text className={styles.muted}>No suggestions yet.</Text>;
  return (
    <ul className={styles.list} aria-label="Suggestions">
      {items.map((s) => (
        <li key={`${s.kind}:${s.id}`} className={styles.suggestion}>
          <div className={styles.row}>
            <Badge appearance="tint">{s.kind === 'article' ? 'Article' : 'Similar case'}</Badge>
            <Text weight="semibold">{s.title}</Text>
          </div>
          <Text size={200} className={styles.muted}>
            Why: {s.reason}
          </Text>
          {s.kind === 'article' && (
            <Button
              size="small"
              onClick={() => {
                props.onOpenArticle({ id: s.id, title: s.title });
                announce(`Opened ${s.title}`);
              }}
            >
              Open article
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}

function SummarySection(props: { conversationId: string; caseId?: string; heard: number }) {
  const styles = useStyles();
  const { api } = useWorkspace();
  const [summary, setSummary] = useState<ConversationSummary | null>(null);
  const [caseSummary, setCaseSummary] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.summary(props.conversationId).then(setSummary, (err: unknown) => setError((err as Error).message));
  }, [api, props.conversationId]);
  const reload = useDebounced(load, 1500);
  useEffect(load, [load]);
  useReloadOnNews(props.heard, reload);
  useEffect(() => {
    if (!props.caseId) return setCaseSummary(null);
    api.caseSummary(props.caseId).then(
      (s) => setCaseSummary(s.text ?? s.summary ?? ''),
      () => setCaseSummary(null),
    );
  }, [api, props.caseId]);

  return (
    <div className={styles.list}>
      <Text weight="semibold">Conversation</Text>
      {error && <Text className={styles.muted}>Summary unavailable: {error}</Text>}
      {!summary && !error && <Spinner size="tiny" label="Summarizing…" />}
      {/* The text says what the highlights list, in one paragraph: the list reads better, and the
          paragraph stands in when there is nothing to list. */}
      {summary?.conversation?.highlights?.length ? (
        <ul className={styles.nested}>
          {summary.conversation.highlights.map((h, i) => (
            <li key={i} dir="auto">
              {typeof h === 'string' ? (
                h
              ) : (
                <>
                  {titleCase(h.kind)}: <bdi>{h.text}</bdi>
                </>
              )}
            </li>
          ))}
          {!summary.conversation.highlights.some((h) => typeof h !== 'string' && h.kind === 'outcome') && (
            <li>Outcome: open</li>
          )}
        </ul>
      ) : (
        summary?.conversation && <Text dir="auto">{summary.conversation.text}</Text>
      )}
      <Text weight="semibold">Case</Text>
      <Text className={caseSummary ? undefined : styles.muted}>{caseSummary ?? 'No case linked.'}</Text>
    </div>
  );
}

function NotesSection({ conversationId }: { conversationId: string }) {
  const styles = useStyles();
  const { api, announce } = useWorkspace();
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.notes(conversationId).then(setNotes, (err: unknown) => setError((err as Error).message));
  }, [api, conversationId]);
  useEffect(load, [load]);
  useStreamEvents((e) => {
    if (e.conversationId === conversationId && e.type === 'conversation.note') load();
  });

  const add = async () => {
    if (!text.trim()) return;
    try {
      await api.addNote(conversationId, text.trim());
      setText('');
      announce('Note saved');
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className={styles.list}>
      <Textarea
        value={text}
        onChange={(_, d) => setText(d.value)}
        aria-label="New note on this conversation"
        rows={2}
        dir="auto"
      />
      <Button size="small" onClick={() => void add()} disabled={!text.trim()}>
        Save note
      </Button>
      {error && <Text className={styles.muted}>{error}</Text>}
      <ul className={styles.list} aria-label="Notes">
        {notes?.map((n, i) => (
          <li key={n.id ?? i}>
            <Text dir="auto">{n.text}</Text>{' '}
            <Text size={200} className={styles.muted}>
              {[n.authorName, formatDateTime(n.at ?? n.createdAt)].filter(Boolean).join(' · ')}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  );
}
