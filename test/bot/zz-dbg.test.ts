import { it } from 'vitest';
import { customerJoins, startTestBot } from './support/test-bot.js';
it('dbg', async () => {
  const t = await startTestBot({ demo: true, at: new Date('2026-12-05T15:00:00Z') });
  await t.say(customerJoins);
  for (const a of (process.env.SAY ?? '').split('|')) {
    await t.say(a);
    console.log(
      '> ' +
        a +
        '\n' +
        t
          .replies()
          .map(
            (r) =>
              '  ' +
              r.type +
              ' ' +
              (r.text ?? r.name ?? '') +
              (r.suggestedActions
                ? ' [' + r.suggestedActions.actions.map((x) => x.value).join(', ') + ']'
                : ''),
          )
          .join('\n'),
    );
  }
  console.log(JSON.stringify((await t.parts.sessions.byConversation((await t.conversation()).id))?.state));
  await t.close();
});
