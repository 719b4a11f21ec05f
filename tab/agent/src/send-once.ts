// An agent's message whose answer never came may or may not have been stored. Sent under an
// idempotency key, it can be sent again safely: the server stores and relays a key's message once
// (docs/agent-api.md). This sends again while the failure leaves that open, waiting 1, 2, 4, 8 s…
// for up to half a minute, then lets the failure through (the composer keeps the draft and its key).

const FIRST_WAIT_MS = 1_000;
const MAX_WAIT_MS = 8_000;
const GIVE_UP_AFTER_MS = 30_000;

export async function sendOnce<T>(
  attempt: () => Promise<T>,
  mayHaveBeenStored: (err: unknown) => boolean,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  let waited = 0;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const wait = Math.min(FIRST_WAIT_MS * 2 ** n, MAX_WAIT_MS);
      if (!mayHaveBeenStored(err) || waited + wait > GIVE_UP_AFTER_MS) throw err;
      await sleep(wait);
      waited += wait;
    }
  }
}

/** A key for one message: random, so two agents' (or two tabs') keys never meet. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
