import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUIET_CHAT_POLICY,
  hasLeftQuietly,
  inactivityMinutes,
  quietCloseNotice,
  quietCutoffMinutes,
} from './quiet-chat.js';

describe('when a quiet chat ends by itself', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute));

  it("uses the work stream's inactivity time, or 30 minutes when no work stream serves the channel", () => {
    expect(inactivityMinutes({ inactivityCloseMinutes: 10 })).toBe(10);
    expect(inactivityMinutes(null)).toBe(30);
    expect(DEFAULT_QUIET_CHAT_POLICY.defaultInactivityMinutes).toBe(30);
  });

  it('counts a customer as gone only once the whole inactivity time has passed since their last message', () => {
    expect(hasLeftQuietly(at(0), 10, at(9))).toBe(false);
    expect(hasLeftQuietly(at(0), 10, at(10))).toBe(true);
  });

  it('looks only at chats quiet for the shortest inactivity time any chat can have, and at least a minute', () => {
    expect(quietCutoffMinutes(45)).toBe(30); // a channel no stream serves closes after 30
    expect(quietCutoffMinutes(12)).toBe(12);
    expect(quietCutoffMinutes(null)).toBe(30);
    expect(quietCutoffMinutes(0)).toBe(1);
    expect(quietCutoffMinutes(45, { resolveAfterMinutes: 5, defaultInactivityMinutes: 60 })).toBe(45);
  });

  it('tells the customer why the chat closed', () => {
    expect(quietCloseNotice(30)).toBe(
      'This chat was closed after 30 minutes without activity. Write again any time.',
    );
  });
});
