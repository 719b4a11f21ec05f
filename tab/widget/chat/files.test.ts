import { describe, expect, it } from 'vitest';
import { ACCEPTED_TYPES, fileProblem, isOwnAttachment, MAX_FILE_BYTES } from './files.js';

const DOMAIN = 'https://cc.test/v3/directline';

describe('files the customer may send', () => {
  it('takes photos, PDFs and text files up to 4 MB', () => {
    for (const type of ACCEPTED_TYPES) expect(fileProblem({ name: 'f', type, size: 1000 })).toBeNull();
    expect(fileProblem({ name: 'bill.pdf', type: 'application/pdf', size: MAX_FILE_BYTES })).toBeNull();
  });

  it('refuses, in words, a file too big, of another type, or empty', () => {
    expect(fileProblem({ name: 'video.png', type: 'image/png', size: MAX_FILE_BYTES + 1 })).toBe(
      '“video.png” is too big to send (4.0 MB): files can be up to 4 MB.',
    );
    expect(fileProblem({ name: 'huge.pdf', type: 'application/pdf', size: 9.5 * 1024 * 1024 })).toMatch(
      /\(9\.5 MB\)/,
    );
    expect(fileProblem({ name: 'setup.exe', type: 'application/x-msdownload', size: 10 })).toBe(
      "“setup.exe” can't be sent: send a photo (PNG, JPEG, GIF or WebP), a PDF or a text file.",
    );
    // Browsers give no type for extensions they do not know.
    expect(fileProblem({ name: 'notes.xyz', type: '', size: 10 })).toMatch(/can't be sent/);
    expect(fileProblem({ name: 'logo.svg', type: 'image/svg+xml', size: 10 })).toMatch(/can't be sent/);
    expect(fileProblem({ name: 'empty.txt', type: 'text/plain', size: 0 })).toBe('“empty.txt” is empty.');
  });
});

describe('which attachment links get our token', () => {
  it("fetches only conversation attachments on the widget's own Direct Line server", () => {
    expect(isOwnAttachment(`${DOMAIN}/conversations/c1/attachments/a1`, DOMAIN)).toBe(true);
    expect(isOwnAttachment(`${DOMAIN}/conversations/c1/attachments/a1`, `${DOMAIN}/`)).toBe(true);
  });

  it('never sends the token elsewhere', () => {
    for (const url of [
      'https://evil.test/v3/directline/conversations/c1/attachments/a1',
      'http://cc.test/v3/directline/conversations/c1/attachments/a1', // another origin: the scheme differs
      'https://cc.test:8443/v3/directline/conversations/c1/attachments/a1',
      'https://cc.test.evil.test/v3/directline/conversations/c1/attachments/a1',
      'https://cc.test/kb/conversations/c1/attachments/a1',
      `${DOMAIN}/conversations/c1/activities`,
      // dot segments resolve before the check
      `${DOMAIN}/conversations/../../../other/attachments/a1`,
      'data:image/png;base64,iVBORw0KGgo=',
      'not a url',
      undefined,
    ])
      expect(isOwnAttachment(url, DOMAIN), String(url)).toBe(false);
  });
});
