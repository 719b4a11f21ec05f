import {
  Button,
  Input,
  Radio,
  RadioGroup,
  Tag,
  TagGroup,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Attach20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useWorkspace } from './context.js';
import { ACCEPTED_FILE_TYPES, MAX_FILE_BYTES, fileProblem, fileSizeLabel } from './files.js';
import {
  SLASH_HELP,
  fillSlots,
  firstSlotRange,
  matches,
  moveIndex,
  openSlots,
  parseSlash,
  type SlashCommand,
} from './slash.js';
import { problemText } from './problem.js';
import { ProblemBar } from './ProblemBar.js';
import { newIdempotencyKey } from './send-once.js';
import { loadDrafts, saveDraft, type Draft } from './session-store.js';
import type { KnowledgeHit, Message } from './types.js';

interface Option {
  id: string;
  label: string;
  detail?: string;
  /** Why the server would refuse it (a colleague offline, one with no room): listed, not chosen. */
  refused?: string;
  run(): Promise<void> | void;
}

const transfers = (command: SlashCommand | undefined) => command === 't' || command === 'tq';

/** A colleague's role in words, for the people lists. */
const roleWords = (roles: readonly string[] | undefined) =>
  roles?.includes('supervisor') ? 'Supervisor' : roles?.includes('admin') ? 'Admin' : 'Agent';

/** The most a message may hold: the agent API refuses more (`docs/agent-api.md`, messages). */
export const MAX_MESSAGE_CHARS = 4000;
/** From here on the composer counts the characters, so the limit comes as no surprise. */
const COUNT_FROM = 3600;

const useStyles = makeStyles({
  root: {
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: '8px 12px',
    display: 'grid',
    gap: '6px',
    position: 'relative',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  row: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  internalMode: { outline: `2px dashed ${tokens.colorPaletteYellowBorder2}`, outlineOffset: '2px' },
  flyout: {
    position: 'absolute',
    bottom: '100%',
    left: '12px',
    right: '12px',
    maxHeight: '260px',
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16,
    margin: 0,
    padding: '4px',
    listStyleType: 'none',
    zIndex: 10,
  },
  flyoutTitle: {
    padding: '4px 8px',
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  option: { padding: '6px 8px', borderRadius: tokens.borderRadiusSmall, cursor: 'pointer', display: 'grid' },
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    outline: `2px solid ${tokens.colorStrokeFocus2}`,
  },
  detail: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  refused: { color: tokens.colorNeutralForeground3, cursor: 'not-allowed' },
  stale: { opacity: 0.6 },
  note: { flexGrow: 1, minWidth: '200px' },
  hint: { color: tokens.colorNeutralForeground2 },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  commands: { display: 'flex', gap: '4px', flexWrap: 'wrap' },
  dropping: { outline: `2px dashed ${tokens.colorBrandStroke1}`, outlineOffset: '-4px' },
});

/** Files attached at once, as the customer's side takes them (Direct Line's upload); 4 MB in all. */
const MAX_STAGED_FILES = 3;

/** The files a paste or a drop carries (a screenshot pasted from the clipboard is one). */
const filesIn = (data: DataTransfer | null): File[] => (data ? Array.from(data.files) : []);
const carriesFiles = (data: DataTransfer | null) => data?.types.includes('Files') === true;

export function Composer(props: {
  conversationId: string;
  customerName?: string;
  /** Consultants and monitors write internally only. */
  internalOnly: boolean;
  disabled: boolean;
  /** The commands this agent may use here (a consultant transfers nothing). */
  commands: readonly SlashCommand[];
  onSent: (m: Message) => void;
  onOpenArticle: (hit: KnowledgeHit) => void;
  /**
   * A transfer (/t, /tq) went through, in words. What it means for this session is the session's to
   * say: its agent is off the chat, a monitor or consultant is still on it.
   */
  onTransferred: (what: string) => void;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const styles = useStyles();
  const { api, me, announce } = useWorkspace();
  const listId = useId();
  const hintId = useId();
  const cid = props.conversationId;
  // The draft is the composer's own, kept across a reload (session-store.ts): a keystroke renders
  // the composer, not the session and its transcript around it.
  const [draft, setDraft] = useState<Draft>(
    () => loadDrafts(me.id)[cid] ?? { text: '', visibility: 'public' },
  );
  const onDraft = useCallback(
    (d: Draft) => {
      setDraft(d);
      saveDraft(me.id, cid, d);
    },
    [me.id, cid],
  );
  // An option runs after the agent may have typed on: it reads the draft as it is then.
  const draftNow = useRef(draft);
  draftNow.current = draft;
  const visibility = props.internalOnly ? 'internal' : draft.visibility;
  const slash = parseSlash(draft.text);
  const queryKey = slash ? `${slash.command}:${slash.query}` : '';
  /** The options listed and the query they answer, which may be the one before the text now typed. */
  const [listed, setListed] = useState<{ key: string; options: Option[] }>({ key: '', options: [] });
  const options = listed.options;
  const loading = listed.key !== queryKey;
  /** Enter came while the list for this query was on its way: the query it meant, to pick its first. */
  const [pickWhenListed, setPickWhenListed] = useState<string | null>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The draft last sent back for its slots: Send again sends it as it is. */
  const [slotsWarned, setSlotsWarned] = useState<string | null>(null);
  const lastTyping = useRef(0);
  /** The draft before a quick reply went in, while the draft is still what it made: Ctrl+Z goes back. */
  const undo = useRef<{ before: Draft; after: string } | null>(null);
  /** A slot to select once the draft holding it is drawn: the agent types straight over it. */
  const selectNext = useRef<{ text: string; start: number; end: number } | null>(null);
  useLayoutEffect(() => {
    const wanted = selectNext.current;
    const box = props.textareaRef.current;
    if (!wanted || !box || box.value !== wanted.text) return;
    selectNext.current = null;
    box.setSelectionRange(wanted.start, wanted.end);
  });
  // A command the agent may no longer use here (a chat gone to wrap-up transfers nowhere) takes its
  // list, and a transfer's note, with it.
  const open = !!slash && dismissed !== draft.text && props.commands.includes(slash.command);
  /** A note for whoever takes a transfer over (/t, /tq): stored internally, shown on their offer. */
  const [note, setNote] = useState('');
  const handoverNote = useRef(note);
  handoverNote.current = note;
  const noteId = useId();
  const handsOver = open && transfers(slash.command);

  // Fetch the command's options as the agent types (latest query wins).
  useEffect(() => {
    if (!slash) {
      setListed({ key: '', options: [] });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      optionsFor(slash.command, slash.query).then(
        (opts) => {
          if (!live) return;
          setListed({ key: queryKey, options: opts });
          setActiveIndex(0);
        },
        (err: unknown) => {
          if (!live) return;
          setListed({ key: queryKey, options: [] });
          setError(problemText(err));
        },
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [queryKey]);

  const optionsFor = async (command: SlashCommand, query: string): Promise<Option[]> => {
    if (!props.commands.includes(command)) {
      throw new Error(`${SLASH_HELP[command]} is for the conversation's agent or a supervisor`);
    }
    switch (command) {
      case 'q': {
        // The server matches tags too, and lists the best first.
        const replies = await api.quickReplies(cid, query);
        return replies.map((r) => ({
          id: r.id,
          label: r.title,
          detail: r.filled ?? r.text,
          run: () => {
            const before = draftNow.current;
            const ownWords = before.text.slice(0, parseSlash(before.text)?.start ?? 0);
            const text = ownWords + (r.filled ?? fillSlots(r.text, props.customerName, me.name));
            undo.current = { before: { ...before, text: ownWords }, after: text };
            const slot = firstSlotRange(text, ownWords.length);
            if (slot) selectNext.current = { text, ...slot };
            onDraft({ ...before, text });
            props.textareaRef.current?.focus();
            announce(
              `Inserted quick reply ${r.title}.${slot ? ` ${text.slice(slot.start, slot.end)} is selected: type to fill it in.` : ''} Ctrl+Z takes it out.`,
            );
          },
        }));
      }
      case 'c':
      case 't': {
        // The server judges each colleague by the rules the consult or transfer itself applies,
        // so the list offers nobody it would then refuse; those it would are listed with why.
        const people = (await api.candidates(cid, command === 'c' ? 'consult' : 'transfer', query)).filter(
          (p) => p.id !== me.id && matches(query, p.name),
        );
        return people.map((p) => ({
          id: p.id,
          label: p.name,
          detail: `${p.presenceLabel} · ${roleWords(p.roles)}`,
          ...(p.eligible ? {} : { refused: p.reason ?? 'Cannot take it now' }),
          run: async () => {
            if (command === 'c') {
              await api.consult(cid, p.id);
              onDraft({ ...draftNow.current, text: '' });
              announce(`${p.name} invited to consult`);
            } else {
              await api.transferToAgent(cid, p.id, handoverNote.current.trim() || undefined);
              onDraft({ text: '', visibility: 'public' });
              setNote('');
              props.onTransferred(`Transferred to ${p.name}`);
            }
          },
        }));
      }
      case 'tq': {
        const queues = (await api.queues()).filter((q) => matches(query, q.name));
        return queues.map((q) => ({
          id: q.id,
          label: q.name,
          detail: q.open === false ? 'Closed now' : undefined,
          run: async () => {
            await api.transferToQueue(cid, q.id, handoverNote.current.trim() || undefined);
            onDraft({ text: '', visibility: 'public' });
            setNote('');
            props.onTransferred(`Transferred to the ${q.name} queue`);
          },
        }));
      }
      case 'kb': {
        if (!query) return [];
        const hits = await api.searchKnowledge(query);
        return hits.map((h) => ({
          id: h.id,
          label: h.title,
          detail: h.snippet,
          run: () => {
            onDraft({ ...draftNow.current, text: '' });
            props.onOpenArticle(h);
          },
        }));
      }
    }
  };

  const pick = async (o: Option | undefined) => {
    if (!o) return;
    if (o.refused) {
      const why = `${o.label} cannot take it: ${o.refused}`;
      setError(why);
      announce(why);
      return;
    }
    setError(null);
    try {
      await o.run();
    } catch (err) {
      setError(problemText(err));
    }
  };

  /** Enter on the list: picks from the list for the text now typed, once it is there. */
  const enter = () => {
    if (loading) setPickWhenListed(queryKey);
    else void pick(options[activeIndex]);
  };
  useEffect(() => {
    if (pickWhenListed === null || pickWhenListed !== listed.key) return;
    setPickWhenListed(null);
    void pick(listed.options[0]);
  }, [listed, pickWhenListed]);

  /** Escape: the list closes until the text changes, the draft stays, and so does the handover note. */
  const dismiss = () => {
    setDismissed(draft.text);
    setPickWhenListed(null);
    props.textareaRef.current?.focus();
  };

  /**
   * The key of the message being sent: kept while the send fails, so sending the same words again
   * cannot post them twice (the first may have been stored); new words get a new key.
   */
  const pending = useRef<{ text: string; visibility: string; key: string } | null>(null);
  const length = draft.text.trim().length;
  const tooLong = length > MAX_MESSAGE_CHARS;

  const fileInput = useRef<HTMLInputElement | null>(null);
  const [sendingFile, setSendingFile] = useState(false);
  /** A message on its way: it may take a while when the server is unreachable (send-once.ts). */
  const [sending, setSending] = useState(false);
  /**
   * Files pasted or dropped: they wait above the message box for Send, since a paste can be a
   * slip and the customer should not get a screenshot nobody meant to send.
   */
  const [staged, setStaged] = useState<File[]>([]);
  const [dropping, setDropping] = useState(false);
  /** Sends files at once, with what the agent typed as their words (not a command). */
  const sendFiles = async (files: File[]) => {
    const problem = files.map(fileProblem).find(Boolean);
    if (problem) return setError(problem);
    const text = draft.text.trim();
    const words = text && !text.startsWith('/') && !slash && !tooLong ? text : undefined;
    setError(null);
    setSendingFile(true);
    try {
      const m = await api.sendFiles(cid, files, words);
      if (words) onDraft({ text: '', visibility: draft.visibility });
      setStaged((now) => now.filter((f) => !files.includes(f)));
      props.onSent(m);
      announce(`${files.map((f) => f.name).join(', ')} sent`);
    } catch (err) {
      setError(problemText(err, 'The files are kept; send them again.'));
    } finally {
      setSendingFile(false);
    }
  };
  const canAttach = visibility === 'public' && !props.disabled;
  const stage = (files: File[]) => {
    if (props.disabled) return;
    if (visibility !== 'public') {
      setError(
        props.internalOnly
          ? 'Only the agent of the chat sends the customer files'
          : 'Files go to the customer: switch to Public to attach one',
      );
      return;
    }
    const problem = files.map(fileProblem).find(Boolean);
    // One upload carries them all, within the size one file may have.
    let total = staged.reduce((n, f) => n + f.size, 0);
    const fit: File[] = [];
    for (const f of files) {
      if (fileProblem(f) || staged.length + fit.length >= MAX_STAGED_FILES || total + f.size > MAX_FILE_BYTES)
        continue;
      fit.push(f);
      total += f.size;
    }
    setStaged([...staged, ...fit]);
    setError(
      problem ??
        (fit.length < files.length
          ? `Up to ${MAX_STAGED_FILES} files, 4 MB in all, go at once: send these first`
          : null),
    );
    if (fit.length) announce(`${fit.map((f) => f.name).join(', ')} attached. Send sends them.`);
  };
  /** Send sends the staged files (with the words typed) while there are any and the message is public. */
  const sendsFiles = staged.length > 0 && visibility === 'public';
  const slots = visibility === 'public' ? openSlots(draft.text) : [];
  const unstage = (index: number) => {
    setStaged((now) => now.filter((_, i) => i !== index));
    props.textareaRef.current?.focus();
  };

  const send = async () => {
    if (sendsFiles) return sendFiles(staged);
    // A command never reaches the customer as words: Send opens its list again.
    if (slash) {
      setDismissed(null);
      announce(
        `/${slash.command} is a command, not sent. To send it as words, type a space before the slash.`,
      );
      return;
    }
    const text = draft.text.trim();
    if (!text || props.disabled || tooLong) return;
    // A quick reply's slot the conversation could not fill ("{caseNumber}") reads as a glitch to the
    // customer: the first Send stops at it. An agent who means the braces sends again.
    if (visibility === 'public' && slots.length > 0 && slotsWarned !== text) {
      setSlotsWarned(text);
      // To the first one, selected: typing fills it in.
      const slot = firstSlotRange(draft.text);
      const box = props.textareaRef.current;
      if (slot && box) {
        box.focus();
        box.setSelectionRange(slot.start, slot.end);
      }
      return;
    }
    setError(null);
    if (pending.current?.text !== text || pending.current.visibility !== visibility)
      pending.current = { text, visibility, key: newIdempotencyKey() };
    setSending(true);
    try {
      const m = await api.send(cid, text, visibility, pending.current.key);
      pending.current = null;
      onDraft({ text: '', visibility: draft.visibility });
      props.onSent(m);
    } catch (err) {
      setError(problemText(err, 'Your message is kept; send it again.'));
    } finally {
      setSending(false);
    }
  };

  /** The suggestion list's keys, from the message box or the list itself; true when the key was one. */
  const listKey = (e: React.KeyboardEvent): boolean => {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      // The options of a query no longer typed are not there to move in.
      if (!loading) setActiveIndex((i) => moveIndex(i, e.key as 'ArrowDown' | 'ArrowUp', options.length));
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      dismiss();
      return true;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      enter();
      return true;
    }
    return false;
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (listKey(e)) return;
    // The box's own undo does not know a text React put in it.
    const inserted = undo.current;
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && inserted) {
      undo.current = null;
      if (inserted.after === draft.text) {
        e.preventDefault();
        onDraft(inserted.before);
        announce('Quick reply taken out');
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  };

  const onChange = (text: string) => {
    onDraft({ ...draft, text });
    setDismissed(null);
    setPickWhenListed(null);
    // A note is written for the transfer being typed, not for one the agent starts later.
    if (!transfers(parseSlash(text)?.command)) setNote('');
    setError(null);
    if (visibility === 'public' && !text.startsWith('/') && Date.now() - lastTyping.current > 3000) {
      lastTyping.current = Date.now();
      api.typing(cid).catch(() => undefined); // Typing is a courtesy; a failure must not disturb the agent.
    }
  };

  const insertCommand = (c: SlashCommand) => {
    // A quick reply goes in under words already typed; the other commands act on the chat instead.
    const own = c === 'q' && !slash && draft.text.trim() ? draft.text.replace(/\s*$/, '\n') : '';
    onDraft({ ...draft, text: `${own}/${c} ` });
    setDismissed(null);
    if (!transfers(c)) setNote('');
    props.textareaRef.current?.focus();
  };

  const activeId = open && !loading && options[activeIndex] ? `${listId}-${activeIndex}` : undefined;
  // The list scrolls (it shows about six at a time): the active one stays in sight as the keys move it.
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);
  return (
    <div
      className={mergeClasses(styles.root, dropping && styles.dropping)}
      onDragOver={(e) => {
        if (!carriesFiles(e.dataTransfer)) return;
        // Without this the browser would open the file in place of the workspace.
        e.preventDefault();
        e.dataTransfer.dropEffect = canAttach ? 'copy' : 'none';
        setDropping(canAttach);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={(e) => {
        if (!carriesFiles(e.dataTransfer)) return;
        e.preventDefault();
        setDropping(false);
        stage(filesIn(e.dataTransfer));
      }}
    >
      <div className={styles.row}>
        <RadioGroup
          layout="horizontal"
          value={visibility}
          aria-label="Who sees the message"
          onChange={(_, d) => onDraft({ ...draft, visibility: d.value as Draft['visibility'] })}
          disabled={props.internalOnly}
        >
          <Radio value="public" label="Public" />
          <Radio value="internal" label="Internal" />
        </RadioGroup>
        {visibility === 'internal' && (
          <Text size={200} className={styles.hint}>
            Internal: only agents and supervisors see it.
          </Text>
        )}
      </div>
      {staged.length > 0 && (
        <div className={styles.row}>
          <TagGroup aria-label="Files to send the customer" onDismiss={(_, d) => unstage(Number(d.value))}>
            {staged.map((f, i) => (
              <Tag
                key={`${i}:${f.name}`}
                value={String(i)}
                dismissible
                dismissIcon={{ 'aria-label': `Remove ${f.name}` }}
                icon={<Attach20Regular />}
              >
                {f.name} ({fileSizeLabel(f.size)})
              </Tag>
            ))}
          </TagGroup>
          <Text size={200} className={styles.hint}>
            {visibility === 'public'
              ? 'Send sends them, with what you typed.'
              : 'They go to the customer: switch to Public to send them.'}
          </Text>
        </div>
      )}
      {handsOver && (
        <div className={styles.row}>
          <label htmlFor={noteId}>
            <Text size={200}>Handover note (optional)</Text>
          </label>
          <Input
            id={noteId}
            className={styles.note}
            value={note}
            maxLength={1000}
            dir="auto"
            placeholder="What whoever takes it over should know; only agents read it"
            onChange={(_, d) => setNote(d.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                dismiss();
              } else if (e.key === 'Enter') {
                e.preventDefault();
                enter();
              }
            }}
          />
        </div>
      )}
      {error && <ProblemBar onDismiss={() => setError(null)}>{error}</ProblemBar>}
      <Textarea
        ref={props.textareaRef}
        onPaste={(e) => {
          const files = filesIn(e.clipboardData);
          // A paste with text is text: Word and Excel put a picture of what was copied beside it.
          if (files.length === 0 || e.clipboardData.types.includes('text/plain')) return;
          e.preventDefault();
          stage(files);
        }}
        className={mergeClasses(visibility === 'internal' && styles.internalMode)}
        value={draft.text}
        onChange={(_, d) => onChange(d.value)}
        onKeyDown={onKeyDown}
        disabled={props.disabled}
        resize="vertical"
        // Hebrew or Arabic typed here runs right to left, as the customer will read it.
        dir="auto"
        aria-label={visibility === 'internal' ? 'Internal note' : 'Message to the customer'}
        aria-describedby={hintId}
        // A combobox for its slash commands: "/" opens their list, the arrows move in it, Enter picks.
        role="combobox"
        aria-autocomplete="list"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={activeId}
        placeholder={
          visibility === 'internal'
            ? 'Internal note (not shown to the customer)'
            : 'Type a message, or / for commands'
        }
      />
      {open && (
        // The message box drives the list (a combobox); the list, which scrolls, is a stop on the Tab
        // key's way too and answers the same keys, so no option is out of a keyboard's reach.
        <ul
          className={styles.flyout}
          id={listId}
          role="listbox"
          aria-label={SLASH_HELP[slash!.command]}
          tabIndex={0}
          aria-activedescendant={activeId}
          aria-busy={loading}
          onKeyDown={listKey}
        >
          <li role="presentation" className={styles.flyoutTitle}>
            {SLASH_HELP[slash!.command]}
            {slash!.command === 'kb' && !slash!.query
              ? ' — type words to search the knowledge base'
              : loading
                ? ' — searching…'
                : options.length === 0
                  ? ' — nothing found'
                  : ` — ${options.length} found`}
          </li>
          {options.map((o, i) => (
            <li
              key={o.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === activeIndex && !loading}
              aria-disabled={o.refused ? true : undefined}
              className={mergeClasses(
                styles.option,
                o.refused && styles.refused,
                loading && styles.stale,
                i === activeIndex && !loading && styles.active,
              )}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => void pick(o)}
            >
              <span>{o.label}</span>
              {o.detail && <span className={styles.detail}>{o.detail}</span>}
              {o.refused && <span className={styles.detail}>Cannot take it: {o.refused}</span>}
            </li>
          ))}
        </ul>
      )}
      <div className={styles.row}>
        <span id={hintId} className={styles.hint}>
          <Text size={200}>
            Enter sends, Shift+Enter adds a line. Commands: {props.commands.map((c) => `/${c}`).join(' ')}
          </Text>
        </span>
        <span style={{ flexGrow: 1 }} />
        {slots.length > 0 && (
          <Text
            size={200}
            className={styles.over}
            role={slotsWarned === draft.text.trim() ? 'alert' : undefined}
          >
            {slotsWarned === draft.text.trim()
              ? `Still to fill in: ${slots.join(', ')}. Replace ${slots.length > 1 ? 'them' : 'it'}, or Send again to send as it is.`
              : `Fill in ${slots.join(', ')} before sending: the conversation does not know ${slots.length > 1 ? 'them' : 'it'}.`}
          </Text>
        )}
        {length >= COUNT_FROM && (
          <Text size={200} className={tooLong ? styles.over : styles.hint} aria-live="polite">
            {tooLong
              ? `${length.toLocaleString('en-US')} of ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters: too long to send, shorten or split it`
              : `${length.toLocaleString('en-US')} of ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters`}
          </Text>
        )}
        {visibility === 'public' && (
          <>
            <input
              ref={fileInput}
              type="file"
              hidden
              accept={ACCEPTED_FILE_TYPES.join(',')}
              aria-label="File to send the customer"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void sendFiles([file]);
              }}
            />
            <Button
              icon={<Attach20Regular />}
              appearance="subtle"
              title="Send the customer a file (a picture, PDF or text file, up to 4 MB), with what you typed"
              disabled={props.disabled || sendingFile}
              onClick={() => fileInput.current?.click()}
            >
              {sendingFile ? 'Sending file…' : 'Send a file'}
            </Button>
          </>
        )}
        <Button
          onClick={() => void send()}
          appearance="primary"
          disabled={
            props.disabled || open || (sendsFiles ? sendingFile : !!slash || !draft.text.trim() || tooLong)
          }
        >
          {sending ? 'Sending…' : 'Send'}
        </Button>
      </div>
      <div className={styles.commands} role="group" aria-label="Commands">
        {props.commands.map((c) => (
          <Button
            key={c}
            size="small"
            appearance="subtle"
            onClick={() => insertCommand(c)}
            disabled={props.disabled}
          >
            {SLASH_HELP[c]} (/{c})
          </Button>
        ))}
      </div>
    </div>
  );
}
