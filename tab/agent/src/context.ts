import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { Api } from './api.js';
import { RefreshGate } from './refresh-gate.js';
import type { LiveStream } from './stream.js';
import type { Me, StreamEvent } from './types.js';

export interface WorkspaceApi {
  api: Api;
  me: Me;
  stream: LiveStream;
  /** Opens (or shows) a session; `show` false keeps the current view. */
  openSession(
    conversationId: string,
    opts?: { show?: boolean; mode?: 'primary' | 'consult' | 'monitor' },
  ): void;
  closeSession(conversationId: string): void;
  /** Polite screen-reader announcement and a visible status line. */
  announce(text: string): void;
  refreshMe(): void;
}

export const WorkspaceContext = createContext<WorkspaceApi | null>(null);

export function useWorkspace(): WorkspaceApi {
  const w = useContext(WorkspaceContext);
  if (!w) throw new Error('useWorkspace outside the workspace');
  return w;
}

/** Runs `handler` for every live event (latest handler, one subscription). */
export function useStreamEvents(handler: (e: StreamEvent) => void): void {
  const { stream } = useWorkspace();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => stream.subscribe((e) => ref.current(e)), [stream]);
}

/** Calls `fn` once `ms` after the last of a burst of triggers (e.g. refetch as a conversation's messages come in). */
export function useDebounced(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useRef(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => ref.current(), ms);
  }).current;
}

/**
 * A list view's refetches (see refresh-gate.ts): `changed` after a live event, at most once per
 * `everyMs` while they keep coming and never while `shown` is false; `now` after the user's own action.
 */
export function useRefreshGate(load: () => void, everyMs: number, shown: boolean): RefreshGate {
  const ref = useRef(load);
  ref.current = load;
  const [gate] = useState(() => new RefreshGate(() => ref.current(), everyMs));
  useEffect(() => {
    gate.show(shown);
    return () => gate.show(false);
  }, [gate, shown]);
  return gate;
}
