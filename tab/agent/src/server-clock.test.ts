import { describe, expect, it } from 'vitest';
import { ServerClock } from './server-clock.js';

const at = (iso: string) => Date.parse(iso);

describe('ServerClock', () => {
  it("reads the server's time from an answer's Date header when this clock is off", () => {
    let local = at('2026-12-06T10:00:00.000Z');
    const clock = new ServerClock(() => local);
    // This computer runs five minutes fast.
    clock.observe('Sun, 06 Dec 2026 09:55:00 GMT', local - 100, local + 100);
    expect(Math.abs(clock.now() - at('2026-12-06T09:55:00.500Z'))).toBeLessThanOrEqual(1);
    local += 10_000;
    expect(Math.abs(clock.now() - at('2026-12-06T09:55:10.500Z'))).toBeLessThanOrEqual(1);
  });

  it("keeps this browser's time when the two agree within the header's rounding", () => {
    const local = at('2026-12-06T10:00:00.900Z');
    const clock = new ServerClock(() => local);
    clock.observe('Sun, 06 Dec 2026 10:00:00 GMT', local - 50, local);
    expect(clock.now()).toBe(local);
  });

  it('ignores slow answers and headers it cannot read', () => {
    const local = at('2026-12-06T10:00:00.000Z');
    const clock = new ServerClock(() => local);
    clock.observe('Sun, 06 Dec 2026 09:00:00 GMT', local - 5000, local);
    clock.observe('yesterday', local - 10, local);
    clock.observe(null, local - 10, local);
    expect(clock.now()).toBe(local);
  });
});
