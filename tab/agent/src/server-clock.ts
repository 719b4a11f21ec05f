/**
 * The server's clock as this browser can tell it. The times the API gives (when an offer runs out,
 * when a customer began waiting or lost their connection) are the server's: on a computer whose
 * clock is a minute off, counting them against `Date.now()` shows an offer as expired the moment it
 * arrives. Every API answer's `Date` header says what time the server had; the difference, taken at
 * the middle of the request, is how far off this clock is.
 */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** An API answer's `Date` header, read by a request sent at `sentAt` and answered at `receivedAt`. */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): void {
    if (!dateHeader || receivedAt - sentAt > MAX_ROUND_TRIP_MS) return;
    const server = Date.parse(dateHeader);
    if (Number.isNaN(server)) return;
    // The header holds whole seconds, rounded down: the server's time was half a second on, on average.
    const measured = server + 500 - (sentAt + receivedAt) / 2;
    // Within the header's own rounding the clocks agree: counts keep to this browser's second.
    this.offsetMs = Math.abs(measured) > AGREE_WITHIN_MS ? measured : 0;
  }

  /** The server's time now, in milliseconds. */
  now(): number {
    return this.localNow() + this.offsetMs;
  }
}

/** A slower answer says too little about when the server read its clock. */
const MAX_ROUND_TRIP_MS = 2000;
const AGREE_WITHIN_MS = 2000;

/** The tab's one clock: every API answer sets it (api.ts), every countdown reads it. */
export const serverClock = new ServerClock();
