import { describe, expect, it } from 'vitest';
import { splitLinks, splitMarkdown } from './text.js';

describe('bot text links', () => {
  it('turns bare http(s) URLs and Markdown links into links, leaving sentence punctuation outside', () => {
    expect(
      splitLinks('See https://northwind.test/kb/1. Or [the guide](https://northwind.test/g) now'),
    ).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://northwind.test/kb/1', href: 'https://northwind.test/kb/1' },
      { kind: 'text', text: '. Or ' },
      { kind: 'link', text: 'the guide', href: 'https://northwind.test/g' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('never links other schemes and keeps markup as plain text', () => {
    expect(splitLinks('[x](javascript:alert(1)) <b>hi</b>')).toEqual([
      { kind: 'text', text: '[x](javascript:alert(1)) <b>hi</b>' },
    ]);
  });
});

describe('bot markdown', () => {
  it('renders bold and italic runs, leaving URLs with underscores and stray stars alone', () => {
    expect(
      splitMarkdown('**Outage credits**\nSee https://kb.test/a_b_c or *this*, not 2*3*4 or snake_case_name.'),
    ).toEqual([
      { kind: 'text', text: 'Outage credits', bold: true },
      { kind: 'text', text: '\nSee ' },
      { kind: 'link', text: 'https://kb.test/a_b_c', href: 'https://kb.test/a_b_c' },
      { kind: 'text', text: ' or ' },
      { kind: 'text', text: 'this', italic: true },
      { kind: 'text', text: ', not 2*3*4 or snake_case_name.' },
    ]);
    expect(splitMarkdown('_Note:_ done')).toEqual([
      { kind: 'text', text: 'Note:', italic: true },
      { kind: 'text', text: ' done' },
    ]);
  });
});
