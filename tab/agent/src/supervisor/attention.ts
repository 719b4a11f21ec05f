// What the Supervisor entry in the navigation counts while the supervisor is elsewhere: customers
// waiting too long (the board's `longWait`), read from the board every so often. The board itself,
// once open, reads far more often and highlights them.

import { useEffect, useState } from 'react';
import type { Api } from '../api.js';
import type { BoardConversation } from './board-rows.js';

/** How often the count is read while the board is not on screen. */
const EVERY_MS = 15_000;

/** Rows of the board whose customer has waited past the board's limit, in the queue or for a reply. */
export const longWaits = (rows: readonly BoardConversation[]): number =>
  rows.filter((r) => Boolean(r.longWait)).length;

/** The count, read while `watching` (a supervisor, the board not on screen); 0 otherwise. */
export function useLongWaits(api: Api, watching: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!watching) return;
    let current = true;
    const read = () =>
      api.supervisorConversations().then(
        (r) => current && setCount(longWaits(r.items)),
        () => undefined, // Read again at the next turn; the board says why when opened.
      );
    void read();
    const t = setInterval(() => void read(), EVERY_MS);
    return () => {
      current = false;
      clearInterval(t);
    };
  }, [api, watching]);
  return watching ? count : 0;
}

/**
 * How far up from the window's bottom the toasts (offers, consult asks) reach, and a little more, so
 * a view can end above them; 0 when there are none.
 */
export function useToastsHeight(toasts: number): number {
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const region =
      toasts > 0 ? document.querySelector<HTMLElement>('section[aria-label="Incoming conversations"]') : null;
    if (!region) {
      setHeight(0);
      return;
    }
    const measure = () => setHeight(Math.max(0, window.innerHeight - region.getBoundingClientRect().top + 8));
    measure();
    const seen = new ResizeObserver(measure);
    seen.observe(region);
    window.addEventListener('resize', measure);
    return () => {
      seen.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [toasts]);
  return height;
}
