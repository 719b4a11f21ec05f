import { describe, expect, it } from 'vitest';
import { knowledgeArticles } from '../demo/knowledge-articles.js';
import { createKnowledgeIndex, matchedPhrases, tokenizeForSearch, type IndexableArticle } from './index.js';

const demo = () => createKnowledgeIndex(knowledgeArticles);

const article = (over: Partial<IndexableArticle> & { id: string }): IndexableArticle => ({
  title: 'Untitled',
  keywords: [],
  body: '',
  product: 'Fiber Internet',
  ...over,
});

describe('knowledge search', () => {
  it('indexes the words of an article that holds a pasted image or key, and not the blob', () => {
    // Indexing a 90,000-letter "word" used to take minutes, holding the server on every rebuild.
    const blob = 'iVBORw0KGgo'.repeat(9_000);
    const index = createKnowledgeIndex([
      article({
        id: 'kb_pasted',
        title: 'Router lights explained',
        body: `![diagram](data:image/png;base64,${blob}) The green light means online.`,
      }),
    ]);
    expect(index.search('green light online')[0]?.id).toBe('kb_pasted');
    expect(index.search(blob.slice(0, 200))).toEqual([]);
    expect(tokenizeForSearch(`${blob} router`)).toEqual(['router']);
  });

  it('ranks the article that answers the question first', () => {
    expect(demo().search('my router has a blinking red light')[0]?.id).toBe('kb_router_red_light');
    expect(demo().search('how do I change my wifi password')[0]?.id).toBe('kb_change_wifi_password');
  });

  it('returns id, title, product, score, matched words and a snippet', () => {
    const [hit] = demo().search('my router has a blinking red light');
    expect(hit).toMatchObject({ id: 'kb_router_red_light', product: 'Wi-Fi' });
    expect(hit!.title).toContain('Router lights');
    expect(hit!.score).toBeGreaterThan(0);
    expect(hit!.matchedTerms).toEqual(expect.arrayContaining(['router', 'blinking', 'red']));
    expect(hit!.snippet).toMatch(/^Blinking red/);
    expect(hit!.snippet.length).toBeLessThanOrEqual(181);
  });

  it('finds articles despite typos (fuzzy matching)', () => {
    expect(demo().search('ruoter lite blinking orange')[0]?.id).toBe('kb_router_red_light');
    expect(demo().search('retrun equipmnt')[0]?.id).toBe('kb_return_equipment');
  });

  it('matches a word being typed (prefix matching)', () => {
    expect(demo().search('parental contr')[0]?.id).toBe('kb_parental_controls');
  });

  it('matches other forms of a word (stemming)', () => {
    const index = createKnowledgeIndex([article({ id: 'a', title: 'Cancelling a booking', body: 'Steps.' })]);
    expect(index.search('cancelled')[0]?.id).toBe('a');
  });

  it('weighs a title match above a keyword match above a body match', () => {
    const index = createKnowledgeIndex([
      article({ id: 'body', title: 'Other', body: 'All about the thermostat here.' }),
      article({ id: 'keywords', title: 'Other', keywords: ['thermostat'], body: 'Nothing.' }),
      article({ id: 'title', title: 'Thermostat', body: 'Nothing.' }),
    ]);
    expect(index.search('thermostat').map((h) => h.id)).toEqual(['title', 'keywords', 'body']);
  });

  it('adds, updates and removes articles one at a time', () => {
    const index = createKnowledgeIndex([article({ id: 'a', title: 'Thermostat setup' })]);
    index.upsert(article({ id: 'b', title: 'Doorbell pairing' }));
    expect(index.search('doorbell')[0]?.id).toBe('b');
    index.upsert(article({ id: 'b', title: 'Camera pairing' }));
    expect(index.search('doorbell')).toEqual([]);
    expect(index.search('camera')[0]?.id).toBe('b');
    expect(index.remove('b')).toBe(true);
    expect(index.search('camera')).toEqual([]);
    expect(index.size).toBe(1);
    expect(index.remove('b')).toBe(false);
  });

  it('filters by product and limits the results', () => {
    const hits = demo().search('bill payment refund', { product: 'Billing', limit: 2 });
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => h.product === 'Billing')).toBe(true);
  });

  it('returns nothing for a query of stop words', () => {
    expect(demo().search('how do I')).toEqual([]);
  });

  it('names the matched words as the customer wrote them, accents and all', () => {
    const index = createKnowledgeIndex([article({ id: 'a', title: 'Café wifi', body: 'El café.' })]);
    expect(index.search('cafe')[0]?.matchedTerms).toEqual(['cafe']);
    expect(index.search('Café')[0]?.matchedTerms).toEqual(['café']);
    expect(matchedPhrases('¿Hay wifi en el Café?', ['cafe', 'wifi'])).toEqual(['wifi', 'café']);
  });

  it('gives Chinese and Japanese text as character pairs, and joins them again in a phrase', () => {
    expect(tokenizeForSearch('重启路由器')).toEqual(['重启', '启路', '路由', '由器']);
    expect(tokenizeForSearch('ルーターwifi')).toEqual(['ルー', 'ータ', 'ター', 'wifi']);
    expect(matchedPhrases('请帮我重启路由器', ['路由', '由器'])).toEqual(['路由器']);
  });
});
