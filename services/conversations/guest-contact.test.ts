import { describe, expect, it } from 'vitest';
import { fitsRecord, namesRecord } from './guest-contact.js';

describe('a guest’s typed details and a customer record', () => {
  const annika = { name: 'Annika Lindqvist', email: 'annika@example.com' };

  it('fill in a record nobody has named yet', () => {
    expect(fitsRecord({ name: 'Guest' }, { name: 'Bruno', email: 'bruno@example.com' })).toBe(true);
  });

  it('go on the record they name, in any case and spacing', () => {
    expect(fitsRecord(annika, { name: ' annika lindqvist ', email: 'ANNIKA@example.com' })).toBe(true);
    expect(fitsRecord(annika, { email: 'annika@example.com' })).toBe(true);
  });

  it('never go on a record with other details', () => {
    expect(fitsRecord(annika, { name: 'Bruno Castellanos', email: 'bruno@example.com' })).toBe(false);
    expect(fitsRecord(annika, { name: 'Annika Lindqvist', email: 'bruno@example.com' })).toBe(false);
    // An e-mail on it that the guest did not confirm is someone's detail, not theirs to name.
    expect(fitsRecord({ name: 'Guest', email: 'annika@example.com' }, { name: 'Bruno' })).toBe(false);
  });

  it('name a record only by a detail on it', () => {
    expect(namesRecord({ name: 'Guest' }, { name: 'Bruno' })).toBe(false);
    expect(namesRecord({ name: 'Bruno', email: 'b@example.com' }, { name: 'Bruno' })).toBe(true);
  });
});
