import { describe, expect, it } from 'vitest';
import { chooseAgent } from './assignment.js';
import { isEligible } from './eligibility.js';
import { anAgent, aQueue, aWorkstream } from '../../test/routing/factories.js';

const at = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00Z`);

describe('assignment methods', () => {
  it('offers to Bea, who has the most free units, when the queue uses highest capacity', () => {
    const ann = anAgent({ id: 'ann', usedUnits: 50 });
    const bea = anAgent({ id: 'bea', usedUnits: 25 });
    const cal = anAgent({ id: 'cal', usedUnits: 75 });
    expect(
      chooseAgent([ann, bea, cal], [], aQueue({ id: 'q', assignmentMethod: 'highest-capacity' }))?.id,
    ).toBe('bea');
  });

  it('breaks a highest-capacity tie by the longest idle: Cal was assigned longest ago', () => {
    const ann = anAgent({ id: 'ann', lastAssignedAt: at('09:10') });
    const cal = anAgent({ id: 'cal', lastAssignedAt: at('08:00') });
    const dan = anAgent({ id: 'dan', usedUnits: 25 });
    expect(chooseAgent([ann, dan, cal], [], aQueue({ id: 'q' }))?.id).toBe('cal');
  });

  it('with round robin offers to Dan, assigned least recently, even though Ann has more room', () => {
    const ann = anAgent({ id: 'ann', usedUnits: 0, lastAssignedAt: at('09:30') });
    const dan = anAgent({ id: 'dan', usedUnits: 75, lastAssignedAt: at('09:00') });
    expect(chooseAgent([ann, dan], [], aQueue({ id: 'q', assignmentMethod: 'round-robin' }))?.id).toBe('dan');
  });

  it('with round robin an agent never assigned comes first', () => {
    const ann = anAgent({ id: 'ann', lastAssignedAt: at('07:00') });
    const eve = anAgent({ id: 'eve' });
    expect(chooseAgent([ann, eve], [], aQueue({ id: 'q', assignmentMethod: 'round-robin' }))?.id).toBe('eve');
  });

  it('with least active offers to Fay, whose last item ended longest ago', () => {
    const fay = anAgent({ id: 'fay', lastItemEndedAt: at('08:15'), lastAssignedAt: at('09:50') });
    const gus = anAgent({ id: 'gus', lastItemEndedAt: at('09:40'), lastAssignedAt: at('07:00') });
    expect(chooseAgent([gus, fay], [], aQueue({ id: 'q', assignmentMethod: 'least-active' }))?.id).toBe(
      'fay',
    );
  });

  it('with exact skill matching skips Hal, who lacks french, and offers to Ida', () => {
    const hal = anAgent({ id: 'hal', skills: [{ name: 'billing', proficiency: 10 }] });
    const ida = anAgent({
      id: 'ida',
      usedUnits: 50,
      skills: [
        { name: 'billing', proficiency: 2 },
        { name: 'french', proficiency: 3 },
      ],
    });
    expect(
      chooseAgent([hal, ida], ['billing', 'french'], aQueue({ id: 'q', skillMatching: 'exact' }))?.id,
    ).toBe('ida');
  });

  it('with exact skill matching offers to nobody when no agent has every skill', () => {
    const hal = anAgent({ id: 'hal', skills: [{ name: 'billing', proficiency: 10 }] });
    expect(chooseAgent([hal], ['billing', 'french'], aQueue({ id: 'q', skillMatching: 'exact' }))).toBeNull();
  });

  it('with closest matching offers to Jo, who matches two of three skills, over Kim with one at expert level', () => {
    const jo = anAgent({
      id: 'jo',
      usedUnits: 75,
      skills: [
        { name: 'billing', proficiency: 1 },
        { name: 'french', proficiency: 1 },
      ],
    });
    const kim = anAgent({ id: 'kim', skills: [{ name: 'billing', proficiency: 10 }] });
    const q = aQueue({ id: 'q', skillMatching: 'closest' });
    expect(chooseAgent([kim, jo], ['billing', 'french', 'fiber'], q)?.id).toBe('jo');
  });

  it('with closest matching and equal skills offers to Lee, the more proficient, over Max with more room', () => {
    const lee = anAgent({ id: 'lee', usedUnits: 50, skills: [{ name: 'billing', proficiency: 8 }] });
    const max = anAgent({ id: 'max', usedUnits: 0, skills: [{ name: 'billing', proficiency: 4 }] });
    expect(chooseAgent([max, lee], ['billing'], aQueue({ id: 'q', skillMatching: 'closest' }))?.id).toBe(
      'lee',
    );
  });

  it('with closest matching and equal skills and proficiency falls back to the method (most free units: Ned)', () => {
    const ned = anAgent({ id: 'ned', usedUnits: 0, skills: [{ name: 'billing', proficiency: 5 }] });
    const oli = anAgent({ id: 'oli', usedUnits: 25, skills: [{ name: 'billing', proficiency: 5 }] });
    expect(chooseAgent([oli, ned], ['billing'], aQueue({ id: 'q', skillMatching: 'closest' }))?.id).toBe(
      'ned',
    );
  });
});

describe('eligibility', () => {
  const stream = aWorkstream({ capacityCost: 30, allowedPresences: ['available', 'busy'] });
  const item = { queueId: 'q_general', declinedBy: ['rex'] };

  it('lets an available queue member with enough free units take the item', () => {
    expect(isEligible(anAgent({ id: 'pat', usedUnits: 70 }), item, stream)).toBe(true);
  });
  it('refuses an agent whose free units are below the work stream cost (71 used of 100, cost 30)', () => {
    expect(isEligible(anAgent({ id: 'pat', usedUnits: 71 }), item, stream)).toBe(false);
  });
  it('refuses an agent outside the queue', () => {
    expect(isEligible(anAgent({ id: 'pat', queueIds: ['q_other'] }), item, stream)).toBe(false);
  });
  it('refuses a presence the work stream does not allow (Do not disturb)', () => {
    expect(
      isEligible(anAgent({ id: 'pat', chosenPresence: 'busy-dnd', presence: 'busy-dnd' }), item, stream),
    ).toBe(false);
  });
  it('refuses an agent who already declined the item', () => {
    expect(isEligible(anAgent({ id: 'rex' }), item, stream)).toBe(false);
  });
});
