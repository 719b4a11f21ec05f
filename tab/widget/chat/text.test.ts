import { describe, expect, it } from 'vitest';
import { splitLinks } from './text.js';

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
