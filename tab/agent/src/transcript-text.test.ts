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
});
