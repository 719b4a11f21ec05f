import { describe, expect, it } from 'vitest';
import { loadConfig } from '../services/config.js';
import { createLogger } from '../services/log.js';
import { createBotAdapter } from './adapter.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: createLogger({}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) };
}

describe('the bot adapter', () => {
  it('says once, as one structured warning, that authentication is off in local mode', () => {
    const { lines, log } = capture();
    const bot = createBotAdapter(loadConfig({}), log);
    expect(bot.authenticated).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'bot authentication is off (local mode)' });
  });

  it('authenticates when MicrosoftAppId is set, without a warning', () => {
    const { lines, log } = capture();
    const bot = createBotAdapter(
      loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'secret' }),
      log,
    );
    expect(bot).toMatchObject({ authenticated: true, appId: 'app-id' });
    expect(lines).toEqual([]);
  });
});
