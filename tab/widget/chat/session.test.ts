import { describe, expect, it } from 'vitest';
import { memoryStore } from '../shared/storage.js';
import {
  clearSession,
  loadSession,
  loadTranscript,
  MAX_TRANSCRIPT,
  saveSession,
  saveTranscript,
  transcriptFileName,
} from './session.js';
import { PENDING_PREFIX } from './viewmodel.js';

const session = {
  conversationId: 'c1',
  token: 't',
  tokenExpiresAt: 1,
  watermark: '4',
  userId: 'dl_abcdefgh12',
  navSeq: 2,
  open: true,
};

describe('what survives a page load', () => {
  it('keeps the session and the transcript of that conversation only', () => {
    const store = memoryStore();
    saveSession(store, session);
    saveTranscript(
      store,
      'c1',
      [
        { type: 'message', id: 'c1|1', text: 'hi' },
        { type: 'typing', id: 'c1|2' },
        { type: 'message', id: `${PENDING_PREFIX}z`, text: 'not acknowledged' },
        {
          type: 'message',
          id: `${PENDING_PREFIX}f`,
          text: 'a file on its way',
          attachments: [{ contentType: 'image/png', name: 'router.png' }],
        },
        { type: 'message', id: 'c1|3', text: 'my card is 4111 1111 1111 1111' },
      ],
      new Set(['c1|3']),
    );
    expect(loadSession(store)).toEqual(session);
    // What the server has not acknowledged stays, to be sent again after a reload; a file cannot.
    expect(loadTranscript(store, 'c1')).toEqual([
      { type: 'message', id: 'c1|1', text: 'hi' },
      { type: 'message', id: `${PENDING_PREFIX}z`, text: 'not acknowledged' },
    ]);
    expect(loadTranscript(store, 'c2')).toEqual([]);
    clearSession(store);
    expect(loadSession(store)).toBeNull();
    expect(loadTranscript(store, 'c1')).toEqual([]);
  });

  it('caps the stored transcript and ignores corrupt entries', () => {
    const store = memoryStore();
    const many = Array.from({ length: MAX_TRANSCRIPT + 20 }, (_, i) => ({ type: 'message', id: `c1|${i}` }));
    saveTranscript(store, 'c1', many);
    expect(loadTranscript(store, 'c1')).toHaveLength(MAX_TRANSCRIPT);
    expect(loadTranscript(store, 'c1')[0]?.id).toBe('c1|20');
    store.setItem('switchboard:session', '{not json');
    expect(loadSession(store)).toBeNull();
  });
});

describe('the transcript file', () => {
  it('is named by the local date, as its lines are dated', () => {
    // Late on the 7th wherever the test runs: in UTC it may already be the 8th, or still the 6th.
    expect(transcriptFileName(new Date(2026, 11, 7, 23, 30))).toBe('chat-transcript-2026-12-07.txt');
    expect(transcriptFileName(new Date(2027, 0, 1, 0, 5))).toBe('chat-transcript-2027-01-01.txt');
  });
});
