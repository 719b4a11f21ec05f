import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN } from './api.js';

// index.html asks for the first screen's data before the app's code runs; the app takes those
// answers by path. A path that differs between the two would be asked for twice, silently.
describe('the first screen asked for early', () => {
  it('index.html asks for exactly the paths the workspace primes, with the token the app uses', () => {
    const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
    const listed = /var paths = token\s*\?\s*(\[[^\]]*\])/.exec(html)?.[1];
    expect(listed).toBeDefined();
    // As Prettier lays it out: single quotes, and a trailing comma once it spans lines.
    expect(JSON.parse(listed!.replace(/'/g, '"').replace(/,\s*\]$/, ']'))).toEqual(FIRST_SCREEN);
    expect(html).toContain("sessionStorage.getItem('switchboard.devToken')");
    expect(html).toContain('__WORKSPACE_CHUNKS__');
  });
});
