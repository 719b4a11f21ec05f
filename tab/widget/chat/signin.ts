/**
 * How a chat's token is asked for when the host page vouches for its signed-in customer: the
 * provider's token goes with the request; a refused one is asked for once more (an expired token is
 * the usual cause, and a fresh one fixes it); a server that takes no signed-in chats gets a guest.
 */
import { DirectLineError, type WidgetTokenInfo } from './directline.js';

export type SignInResult =
  | { ok: true; info: WidgetTokenInfo }
  /** The server refused the visitor's token twice: the chat waits for the customer's choice. */
  | { ok: false; message: string };

/**
 * What the customer reads when their sign-in is refused. The server's reason is for the site's
 * developers (it names keys and claims), so it goes to the console, not to the customer.
 */
export const REFUSAL =
  "We couldn't confirm that you're signed in. You can chat as a guest, or sign in again and reload the page.";

/**
 * @param request asks the server for a token, with `authToken` or as a guest
 * @param provider the host's token (null: nobody signed in), or null when the host has none
 */
export async function signedInToken(
  request: (authToken?: string) => Promise<WidgetTokenInfo>,
  provider: (() => Promise<string | null>) | null,
): Promise<SignInResult> {
  const first = provider ? await provider() : null;
  if (!provider || !first) return { ok: true, info: await request() };
  let refusal: DirectLineError;
  try {
    return { ok: true, info: await request(first) };
  } catch (err) {
    if (notConfigured(err)) {
      console.warn('[switchboard] the server takes no signed-in chats; chatting as a guest');
      return { ok: true, info: await request() };
    }
    if (!refused(err)) throw err;
    refusal = err;
  }
  const second = await provider();
  // Nobody signed in any more (or the provider failed): the customer chooses, rather than being
  // made a guest behind their back after a refusal.
  if (second) {
    try {
      return { ok: true, info: await request(second) };
    } catch (err) {
      if (!refused(err)) throw err;
      refusal = err;
    }
  }
  console.warn('[switchboard] the chat sign-in token was refused:', refusal.serverMessage ?? refusal.message);
  return { ok: false, message: REFUSAL };
}

function refused(err: unknown): err is DirectLineError {
  return err instanceof DirectLineError && (err.status === 401 || err.serverCode === 'chat.auth_invalid');
}

function notConfigured(err: unknown): boolean {
  return (
    err instanceof DirectLineError && err.status === 400 && err.serverCode === 'chat.auth_not_configured'
  );
}
