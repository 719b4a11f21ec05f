import { describe, expect, it } from 'vitest';
import { isCardNumber, maskCardNumbers, maskCardNumbersIn } from './card-numbers.js';

describe('maskCardNumbers', () => {
  it('masks a card number but for its last four digits, however it is written', () => {
    expect(maskCardNumbers('my card 4111 1111 1111 1111 was charged twice')).toBe(
      'my card •••• •••• •••• 1111 was charged twice',
    );
    expect(maskCardNumbers('4111-1111-1111-1111')).toBe('••••-••••-••••-1111');
    expect(maskCardNumbers('5555555555554444.')).toBe('••••••••••••4444.');
    // American Express, 15 digits in 4-6-5.
    expect(maskCardNumbers('amex 3782 822463 10005 ok')).toBe('amex •••• •••••• •0005 ok');
    // Mastercard's 2-series and a 19-digit Visa.
    expect(maskCardNumbers('2223000048400011')).toBe('••••••••••••0011');
    expect(maskCardNumbers('4000 0000 0000 0000 006')).toBe('•••• •••• •••• •••0 006');
  });

  it('masks every card in a message', () => {
    expect(maskCardNumbers('old 4111111111111111, new 5105105105105100')).toBe(
      'old ••••••••••••1111, new ••••••••••••5100',
    );
  });

  it('leaves numbers that are no card: a failed check digit, phone numbers, account numbers, dates', () => {
    for (const text of [
      'card 4111 1111 1111 1112', // Luhn fails
      'call me on +44 20 7946 0958',
      'account 100234567, order 2026120612',
      'since 2026-12-06 10:00',
      'ref 1234567890123456', // starts with 1: no card network
      '99999999999999999999999', // longer than any card
      'invoice 7-4111111111111111', // part of a longer hyphenated reference
      'ratio 0.4111111111111111', // a decimal's fraction
      '4111111111111111.5 units', // a decimal's whole part
      'see /kb/a4111111111111111f', // inside an id
    ]) {
      expect(maskCardNumbers(text), text).toBe(text);
    }
  });

  it('returns the same string when there is nothing to mask', () => {
    const text = 'The internet is down since this morning';
    expect(maskCardNumbers(text)).toBe(text);
  });
});

describe('maskCardNumbersIn', () => {
  it('masks every string in a form or an activity value, and hands back the same value when clean', () => {
    const answers = { name: 'Ada', more: 'card 4111111111111111', list: ['5105105105105100', 3] };
    expect(maskCardNumbersIn(answers)).toEqual({
      name: 'Ada',
      more: 'card ••••••••••••1111',
      list: ['••••••••••••5100', 3],
    });
    const clean = { name: 'Ada', n: 1, nested: { ok: true } };
    expect(maskCardNumbersIn(clean)).toBe(clean);
  });
});

describe('isCardNumber', () => {
  it('takes the networks test numbers and refuses a changed digit', () => {
    for (const n of ['4111111111111111', '378282246310005', '6011111111111117', '3530111333300000'])
      expect(isCardNumber(n), n).toBe(true);
    expect(isCardNumber('4111111111111121')).toBe(false);
    expect(isCardNumber('411111111111')).toBe(false); // 12 digits
  });
});

describe('a card number sent as a JSON number', () => {
  it('becomes its masked string; other numbers stay numbers', () => {
    expect(maskCardNumbersIn({ savedCard: 4111111111111111, points: 4200, order: 1234567890123 })).toEqual({
      savedCard: '••••••••••••1111',
      points: 4200,
      order: 1234567890123,
    });
    expect(maskCardNumbersIn(4111111111111121)).toBe(4111111111111121); // fails the check digit
    expect(maskCardNumbersIn(4111111111111111.5)).toBe(4111111111111111.5);
    // Past 2^53 the digits are not those sent: a card-length one with a network's first digit is masked.
    expect(maskCardNumbersIn(JSON.parse('6011000990139424123'))).toMatch(/^•{15}\d{4}$/);
    const beyondCards = JSON.parse('9011000990139424123') as number;
    expect(maskCardNumbersIn(beyondCards)).toBe(beyondCards);
  });
});
