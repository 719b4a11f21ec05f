import { describe, expect, it } from 'vitest';
import { presenceChoice } from './presence-choice.js';

// As GET /presences lists them: the five base presences, then the configured ones.
const LIST = [
  { id: 'available', label: 'Available', base: 'available' },
  { id: 'busy', label: 'Busy', base: 'busy' },
  { id: 'do-not-disturb', label: 'Do not disturb', base: 'do-not-disturb' },
  { id: 'away', label: 'Away', base: 'away' },
  { id: 'offline', label: 'Offline', base: 'offline' },
  { id: 'in-training', label: 'In training', base: 'away' },
];

describe('presence choice', () => {
  it('selects the base presence the agent chose, with nothing more to say', () => {
    expect(
      presenceChoice(
        { presence: 'available', presenceLabel: 'Available', chosenPresence: 'available' },
        LIST,
      ),
    ).toEqual({ selected: 'available', shownAs: null });
  });

  it('selects a custom presence by its label, not the base it comes back as', () => {
    expect(
      presenceChoice({ presence: 'away', presenceLabel: 'In training', chosenPresence: 'away' }, LIST),
    ).toEqual({ selected: 'in-training', shownAs: null });
  });

  it('says what others see when a full agent who chose Available shows Busy', () => {
    expect(
      presenceChoice({ presence: 'busy', presenceLabel: 'Available', chosenPresence: 'available' }, LIST),
    ).toEqual({ selected: 'available', shownAs: 'Busy' });
  });

  it('falls back to the shown presence when the choice is not in the list', () => {
    expect(presenceChoice({ presence: 'away', chosenPresence: 'gone-fishing' }, LIST)).toEqual({
      selected: 'away',
      shownAs: 'Away',
    });
  });
});
