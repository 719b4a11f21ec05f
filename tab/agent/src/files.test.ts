import { describe, expect, it } from 'vitest';
import { fileProblem, MAX_FILE_BYTES } from './files.js';

describe('fileProblem', () => {
  it('lets through the pictures, PDFs and text files the server takes, up to 4 MB', () => {
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: MAX_FILE_BYTES })).toBeNull();
    expect(fileProblem({ name: 'a.pdf', type: 'application/pdf', size: 10 })).toBeNull();
  });

  it('says why anything else is not sent', () => {
    expect(fileProblem({ name: 'a.svg', type: 'image/svg+xml', size: 10 })).toMatch(/cannot be sent/);
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: MAX_FILE_BYTES + 1 })).toBe(
      'a.png is larger than 4 MB',
    );
    expect(fileProblem({ name: 'a.txt', type: 'text/plain', size: 0 })).toBe('a.txt is empty');
  });
});
