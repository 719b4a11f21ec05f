/**
 * Calls the host page's token provider (`data-auth-token-provider`). It is the host's code, so
 * anything may come back or go wrong; whatever does, the answer is a token or null ("no one signed
 * in"), and the chat goes on as a guest chat rather than breaking the page or waiting forever.
 */

/** Longer than any sign-in service should take; beyond it the customer would think the chat broken. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export async function askTokenProvider(
  name: string,
  host: object = window,
  timeoutMs: number = PROVIDER_TIMEOUT_MS,
): Promise<string | null> {
  const fn: unknown = (host as Record<string, unknown>)[name];
  if (typeof fn !== 'function') return ignored(`window.${name} is not a function`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    // Called as a method of the page, as a global function would be; a sync throw lands in catch.
    const value: unknown = await Promise.race([Promise.resolve(fn.call(host)), late]);
    if (value === TIMED_OUT) return ignored(`window.${name} did not answer within ${timeoutMs / 1000} s`);
    // null, undefined or '' is the provider's way of saying nobody is signed in: nothing to report.
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string') return ignored(`window.${name} returned a ${typeof value}, not a string`);
    return value.trim() || null;
  } catch (err) {
    return ignored(`window.${name} failed`, err);
  } finally {
    clearTimeout(timer);
  }
}

const TIMED_OUT = Symbol('timed out');

function ignored(why: string, err?: unknown): null {
  if (err === undefined) console.warn(`[switchboard] ${why}; chatting as a guest`);
  else console.warn(`[switchboard] ${why}; chatting as a guest`, err);
  return null;
}
