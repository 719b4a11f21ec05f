import type { AdaptiveCard } from '../../../bot/cards/index.js';

// Plays Teams towards the bot: `msteams` activities posted to the real app's /api/messages over HTTP,
// with the fake connector as their serviceUrl.

export interface TeamsUser {
  /** Teams user id in the bot's tenant ("29:…"). */
  id: string;
  name: string;
  aadObjectId: string;
  /** The personal chat between this user and the bot. */
  chatId: string;
}

/** What the bot answers an `adaptiveCard/action` invoke with: a card, or a message. */
export interface InvokeAnswer {
  statusCode: number;
  type: string;
  value: AdaptiveCard;
}

export const TENANT = '72f988bf-0000-4000-8000-000000000001';
export const BOT = { id: '28:switchboard-bot', name: 'Switchboard' };

export function teamsUser(key: string, name: string): TeamsUser {
  return { id: `29:${key}`, name, aadObjectId: `aad-${key}`, chatId: `a:personal-${key}` };
}

export class TeamsClient {
  private seq = 0;
  constructor(
    private readonly appUrl: string,
    private readonly serviceUrl: string,
  ) {}

  activity(user: TeamsUser, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `teams-${++this.seq}-${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: BOT,
      conversation: { id: user.chatId, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      locale: 'en-US',
      ...fields,
    };
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; body: InvokeAnswer | undefined }> {
    const res = await fetch(`${this.appUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as InvokeAnswer) : undefined };
  }

  /** The user installs the app in personal scope. */
  install(user: TeamsUser) {
    return this.post(this.activity(user, { type: 'installationUpdate', action: 'add' }));
  }

  /** Teams tells the bot it was added to the personal chat. */
  botAdded(user: TeamsUser) {
    return this.post(
      this.activity(user, { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }, { id: user.id }] }),
    );
  }

  say(user: TeamsUser, text: string, id?: string) {
    return this.post({ ...this.activity(user, { type: 'message', text }), ...(id ? { id } : {}) });
  }

  /** The user's Allow or Decline on a file consent card: the invoke Teams sends the bot. */
  fileConsent(user: TeamsUser, replyToId: string, value: Record<string, unknown>) {
    return this.post(this.activity(user, { type: 'invoke', name: 'fileConsent/invoke', replyToId, value }));
  }

  /** A click on an Action.Execute button (Universal Actions). */
  execute(
    user: TeamsUser,
    verb: string,
    data: Record<string, unknown>,
    opts: { id?: string; replyToId?: string } = {},
  ) {
    return this.post({
      ...this.activity(user, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
      }),
      ...(opts.id ? { id: opts.id } : {}),
    });
  }
}
