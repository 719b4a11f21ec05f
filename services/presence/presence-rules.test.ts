import { describe, expect, it } from 'vitest';
import { resolvePresence } from './presence-rules.js';

const custom = [
  { name: 'In training', base: 'away' as const },
  { name: 'Focus time', base: 'busy-dnd' as const },
];

describe('presence rules', () => {
  it('takes a base presence as it is', () => {
    expect(resolvePresence('busy-dnd', custom)).toEqual({ base: 'busy-dnd' });
  });
  it('maps a custom presence to its base and keeps its name as the label, whatever the case', () => {
    expect(resolvePresence('  focus TIME ', custom)).toEqual({ base: 'busy-dnd', label: 'Focus time' });
  });
  it('refuses an unknown presence and lists the known ones', () => {
    expect(() => resolvePresence('Lunch', custom)).toThrow(
      expect.objectContaining({ code: 'presence.unknown' }),
    );
  });
});
