import { useSyncExternalStore } from 'react';

/** Whether the window matches a media query now, following it as the window (or Teams' panel) resizes. */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => matchMedia(query).matches,
  );
}
