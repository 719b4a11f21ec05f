import { describe, expect, it } from 'vitest';
import { transcriptFileName, transcriptText } from './transcript-text.js';
import type { Message } from './types.js';

const message = (m: Partial<Message> & Pick<Message, 'seq' | 'from' | 'text'>): Message => ({
  id: `m${m.seq}`,
  visibility: 'public',
  at: `2026-12-06T09:0${m.seq}:00.000Z`,
  ...m,
});

describe('the transcript an agent downloads', () => {
  it('has every message in order, who wrote it, the internal ones marked, and the files named', () => {
    const text = transcriptText(
      { conversationId: 'conv_1', customerName: 'Ada Lovelace', channel: 'Web chat', queueName: 'Billing' },
      [
        message({ seq: 3, from: 'agent', authorName: 'Alex Rivera', text: 'Checking your bill' }),
        message({ seq: 1, from: 'bot', text: 'Hi! How can I help?' }),
        message({
          seq: 2,
          from: 'customer',
          authorName: 'Ada Lovelace',
          text: 'My bill doubled',
          attachments: [{ name: 'bill.pdf', contentType: 'application/pdf', fileId: 'f1' }],
        }),
        message({
          seq: 4,
          from: 'agent',
          authorName: 'Alex Rivera',
          text: 'Refund due',
          visibility: 'internal',
        }),
        message({
          seq: 5,
          from: 'customer',
          authorName: 'Ada Lovelace',
          text: '',
          attachments: [{ name: 'photo.png', contentType: 'image/png', fileId: 'f2' }],
        }),
      ],
    );
    expect(text).toBe(
      [
        'Conversation conv_1',
        'Customer: Ada Lovelace',
        'Channel: Web chat',
        'Queue: Billing',
        'Times are UTC. Lines marked (internal) were never shown to the customer.',
        '',
        '[2026-12-06 09:01:00] Virtual assistant: Hi! How can I help?',
        '[2026-12-06 09:02:00] Ada Lovelace: My bill doubled [file: bill.pdf]',
        '[2026-12-06 09:03:00] Alex Rivera: Checking your bill',
        '[2026-12-06 09:04:00] Alex Rivera (internal): Refund due',
        '[2026-12-06 09:05:00] Ada Lovelace: [file: photo.png]',
        '',
      ].join('\n'),
    );
  });

  it('is named for the customer and the day, safe for any file system', () => {
    const at = new Date('2026-12-06T23:30:00Z');
    expect(transcriptFileName('Ada Lovelace', at)).toBe('transcript-Ada-Lovelace-2026-12-06.txt');
    expect(transcriptFileName('../../etc/passwd', at)).toBe('transcript-etc-passwd-2026-12-06.txt');
    expect(transcriptFileName('José Ñúñez', at)).toBe('transcript-José-Ñúñez-2026-12-06.txt');
    expect(transcriptFileName(undefined, at)).toBe('transcript-customer-2026-12-06.txt');
    expect(transcriptFileName('***', at)).toBe('transcript-customer-2026-12-06.txt');
  });

  it('keeps the vowel signs of an Indic name and the accents of a decomposed one in the file name', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    expect(transcriptFileName('अनन्या शर्मा', at)).toBe('transcript-अनन्या-शर्मा-2026-12-07.txt');
    expect(transcriptFileName('அருண் குமார்', at)).toBe('transcript-அருண்-குமார்-2026-12-07.txt');
    const decomposed = 'José Núñez'.normalize('NFD');
    expect(transcriptFileName(decomposed, at)).toBe(
      `transcript-${decomposed.replace(' ', '-')}-2026-12-07.txt`,
    );
  });

  it('drops control characters a terminal would act on, keeping tabs and line breaks', () => {
    const text = transcriptText({ conversationId: 'conv_2', customerName: 'Eve\u001b[31m' }, [
      message({
        seq: 1,
        from: 'customer',
        authorName: 'Eve\u0007',
        text: 'clear\u001b[2J\u001b[Hthis\tand\r\nthat\rover\u009b2J\u0000',
      }),
    ]);
    // eslint-disable-next-line no-control-regex -- no control character but tab and line break
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(text).toContain('Customer: Eve[31m');
    expect(text).toContain('] Eve: clear[2J[Hthis\tand\n    that\n    over2J\n');
  });

  it("indents a message's further lines, so none of them reads as another entry", () => {
    const text = transcriptText({ conversationId: 'conv_3' }, [
      message({
        seq: 1,
        from: 'customer',
        authorName: 'Mallory',
        text: 'thanks\n[2026-12-06 09:04:00] Alex Rivera (internal): refund approved, 500 EUR',
      }),
      message({ seq: 2, from: 'agent', authorName: 'Alex Rivera', text: 'Anything else?' }),
    ]);
    const entries = text.split('\n').filter((l) => l.startsWith('['));
    expect(entries).toEqual([
      '[2026-12-06 09:01:00] Mallory: thanks',
      '[2026-12-06 09:02:00] Alex Rivera: Anything else?',
    ]);
    expect(text).toContain('\n    [2026-12-06 09:04:00] Alex Rivera (internal): refund approved');
  });
});
