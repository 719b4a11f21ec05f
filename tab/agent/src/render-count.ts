// How often the parts that cost the most to draw render: the browser tests prove with it that a
// keystroke or a switch between two chats does not draw a long transcript again
// (test/e2e-tab/many-sessions.e2e.test.ts). A page counts only once something set
// `window.__switchboardRenders` to an object (the tests, before the tab loads); otherwise this is
// one property read per render.

type Tally = Record<string, number>;

/** Counts one render of `what` (e.g. a transcript row) when the page asked for counts. */
export function countRender(what: string): void {
  const tally = (globalThis as { __switchboardRenders?: Tally }).__switchboardRenders;
  if (tally) tally[what] = (tally[what] ?? 0) + 1;
}
