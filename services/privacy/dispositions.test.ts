import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { erasedDisposition, OFFERED_DISPOSITIONS } from './dispositions.js';

describe('the disposition an erased customer’s conversation keeps', () => {
  it('keeps the product’s words, in any case', () => {
    for (const offered of OFFERED_DISPOSITIONS) expect(erasedDisposition(offered)).toBe(offered);
    expect(erasedDisposition('resolved')).toBe('resolved');
    expect(erasedDisposition('force-closed')).toBe('force-closed');
    expect(erasedDisposition('billing-dispute', ['billing-dispute'])).toBe('billing-dispute');
  });

  it('puts a neutral word in place of what was typed, and keeps a supervisor’s close without its reason', () => {
    expect(erasedDisposition('Credit confirmed to Jordan Lee at jordan.lee@example.com')).toBe('Other');
    expect(erasedDisposition('billing-dispute')).toBe('Other');
    expect(erasedDisposition('force-closed: abusive, Jordan Lee of 12 Elm St')).toBe('force-closed');
    expect(erasedDisposition('force-closedJordan')).toBe('Other');
  });

  it('knows the wrap-up choices the agent tab offers', async () => {
    const session = await readFile(new URL('../../tab/agent/src/Session.tsx', import.meta.url), 'utf8');
    const list = /const DISPOSITIONS = (\[[^\]]*\]);/.exec(session)?.[1];
    expect(JSON.parse(list!.replace(/'/g, '"'))).toEqual([...OFFERED_DISPOSITIONS]);
  });
});
