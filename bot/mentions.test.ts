import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { removeBotMention } from './mentions.js';

const bot = { id: '28:switchboard-bot', name: 'Switchboard' };
const mention = (who: { id: string; name: string }, text = `<at>${who.name}</at>`) => ({
  type: 'mention',
  text,
  mentioned: who,
});

function message(text: string, entities: unknown[]): Activity {
  return { type: 'message', text, recipient: bot, entities } as unknown as Activity;
}

function without(text: string, entities: unknown[]): string | undefined {
  const activity = message(text, entities);
  removeBotMention(activity);
  return activity.text;
}

describe('the bot’s @mention in a message', () => {
  it('goes, with the space after it, wherever and however often it stands', () => {
    expect(without('<at>Switchboard</at> queues', [mention(bot)])).toBe('queues');
    expect(without('please <at>Switchboard</at>\u00a0help', [mention(bot)])).toBe('please help');
    expect(without('<at>Switchboard</at> hi <at>Switchboard</at>', [mention(bot)])).toBe('hi');
    expect(without('<at>Switchboard</at>', [mention(bot)])).toBe('');
  });

  it('leaves anyone else’s mention, and a message that mentions nobody, as they are', () => {
    const kim = { id: '29:kim', name: 'Kim' };
    expect(without('<at>Switchboard</at> ask <at>Kim</at>', [mention(bot), mention(kim)])).toBe(
      'ask <at>Kim</at>',
    );
    expect(without('  hello ', [])).toBe('  hello ');
    expect(without('<at>Switchboard</at> hi', [mention(kim, '<at>Switchboard</at>')])).toBe(
      '<at>Switchboard</at> hi',
    );
  });

  it('takes malformed mention entities for what they are: no mention', () => {
    const odd = [{ type: 'mention' }, { type: 'mention', mentioned: bot }, null, { type: 'clientInfo' }];
    expect(without('<at>Switchboard</at> hi', odd)).toBe('<at>Switchboard</at> hi');
  });
});
