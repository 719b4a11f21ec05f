import { describe, expect, it } from 'vitest';
import { understand, type IntentGuess, type SelfServicePort } from './understand.js';

const ARTICLES = {
  kb_wifi: { id: 'kb_wifi', title: 'Slow Wi-Fi', body: 'Restart the router.', product: 'Internet' },
  // An article whose id happens to be an intent's name must not pass for the topic of small talk.
  greeting: { id: 'greeting', title: 'Greeting cards', body: 'We sell cards.', product: 'Shop' },
};

/** The port with a fixed classification; every article lookup is recorded. */
function portFor(guess: IntentGuess): { port: SelfServicePort; lookedUp: string[] } {
  const lookedUp: string[] = [];
  return {
    lookedUp,
    port: {
      classifyIntent: () => guess,
      searchKnowledge: () => [],
      article: (id) => {
        lookedUp.push(id);
        return Promise.resolve(ARTICLES[id as keyof typeof ARTICLES] ?? null);
      },
    },
  };
}

describe('understand', () => {
  it('takes the topic hint from an unsure guess that names an article', async () => {
    const { port, lookedUp } = portFor({
      intent: 'unsure',
      confidence: 0.3,
      unsure: true,
      bestGuess: 'topic:kb_wifi',
    });
    const result = await understand(port, 'wifi slow?');
    expect(lookedUp).toEqual(['kb_wifi']);
    expect(result.topic).toEqual({ words: 'Internet Slow Wi-Fi', confidence: 0.3 });
  });

  it('looks up no article for small talk, even one sharing its name', async () => {
    const { port, lookedUp } = portFor({
      intent: 'greeting',
      confidence: 0.9,
      unsure: false,
      bestGuess: 'greeting',
    });
    const result = await understand(port, 'hello');
    expect(lookedUp).toEqual([]);
    expect(result).toEqual({
      intent: { name: 'greeting', confidence: 0.9, unsure: false },
      topic: undefined,
    });
  });

  it('answers with the article a sure topic names', async () => {
    const { port } = portFor({
      intent: 'topic',
      confidence: 0.8,
      unsure: false,
      articleId: 'kb_wifi',
      bestGuess: 'topic:kb_wifi',
    });
    const result = await understand(port, 'my wifi is slow');
    expect(result.answer).toMatchObject({ articleId: 'kb_wifi', title: 'Slow Wi-Fi' });
  });
});
