import { describe, expect, it } from 'vitest';
import { checkFile, fileName, MAX_FILE_BYTES, pictureType } from './files.js';

const PNG_START = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('checkFile', () => {
  it('keeps a file whose first bytes say it is what it claims, under its plain type', () => {
    expect(checkFile('lights.png', 'image/png', bytes(...PNG_START))).toEqual({
      ok: true,
      contentType: 'image/png',
      name: 'lights.png',
    });
    expect(checkFile('a.jpg', 'IMAGE/JPEG', bytes(0xff, 0xd8, 0xff, 0xe0))).toMatchObject({
      contentType: 'image/jpeg',
    });
    expect(checkFile('a.gif', 'image/gif', text('GIF89a'))).toMatchObject({ ok: true });
    expect(checkFile('a.webp', 'image/webp', text('RIFF\0\0\0\0WEBPVP8 '))).toMatchObject({ ok: true });
    expect(checkFile('bill.pdf', 'application/pdf', text('%PDF-1.7'))).toMatchObject({ ok: true });
    expect(checkFile('n.txt', 'text/plain; charset=utf-8', text('Réseau ok'))).toMatchObject({
      ok: true,
      contentType: 'text/plain',
    });
  });

  it('refuses a file that is not what it claims, of another kind, empty or too large', () => {
    expect(checkFile('x.png', 'image/png', text('<svg onload=alert(1)>'))).toMatchObject({
      ok: false,
      reason: 'type',
    });
    expect(checkFile('x.webp', 'image/webp', text('RIFF\0\0\0\0WAVE'))).toMatchObject({
      ok: false,
      reason: 'type',
    });
    expect(checkFile('x.svg', 'image/svg+xml', text('<svg/>'))).toMatchObject({ ok: false, reason: 'type' });
    expect(checkFile('x.html', 'text/html', text('<p>hi'))).toMatchObject({ ok: false, reason: 'type' });
    expect(checkFile('x.txt', 'text/plain', bytes(0x61, 0x00))).toMatchObject({ ok: false, reason: 'type' });
    expect(checkFile('x.txt', 'text/plain', bytes(0xc3, 0x28))).toMatchObject({ ok: false, reason: 'type' });
    expect(checkFile('x.png', 'image/png', new Uint8Array(0))).toMatchObject({ ok: false, reason: 'empty' });
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    big.set(PNG_START);
    expect(checkFile('x.png', 'image/png', big)).toMatchObject({ ok: false, reason: 'too_large' });
    const justFits = new Uint8Array(MAX_FILE_BYTES);
    justFits.set(PNG_START);
    expect(checkFile('x.png', 'image/png', justFits)).toMatchObject({ ok: true });
  });
});

describe('pictureType', () => {
  it('says which picture the bytes are, and nothing for a PDF, text or a page', () => {
    expect(pictureType(bytes(...PNG_START))).toBe('image/png');
    expect(pictureType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(pictureType(text('GIF89a'))).toBe('image/gif');
    expect(pictureType(text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    for (const other of ['%PDF-1.7', 'plain words', '<html><script>1</script>', ''])
      expect(pictureType(text(other)), other).toBeUndefined();
  });
});

describe('the name a checked file keeps', () => {
  it('ends in an extension of the type it was checked to be', () => {
    const named = (name: string, type: string, b: Uint8Array) => {
      const checked = checkFile(name, type, b);
      return checked.ok ? checked.name : checked.message;
    };
    expect(named('Invoice.html', 'text/plain', text('<b>hi</b>'))).toBe('Invoice.html.txt');
    expect(named('notes', 'text/plain', text('hi'))).toBe('notes.txt');
    expect(named('server.LOG', 'text/plain', text('hi'))).toBe('server.LOG');
    expect(named('photo.JPG', 'image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('photo.JPG');
    expect(named('photo.svg', 'image/png', bytes(...PNG_START))).toBe('photo.svg.png');
    expect(named('x'.repeat(300), 'application/pdf', text('%PDF-1.7'))).toBe(`${'x'.repeat(196)}.pdf`);
  });
});

describe('fileName', () => {
  it('keeps the name without folders or control characters, and not endless', () => {
    expect(fileName('C:\\fakepath\\router lights.png')).toBe('router lights.png');
    expect(fileName('../../etc/passwd')).toBe('passwd');
    expect(fileName('a\u0000b\r\n.png')).toBe('ab.png');
    expect(fileName('')).toBe('file');
    expect(fileName('x'.repeat(500))).toHaveLength(200);
    expect(fileName('😀'.repeat(300))).toBe('😀'.repeat(200));
    expect(fileName('\u001b[31mred.txt')).toBe('red.txt');
  });

  it('drops direction marks and overrides, which would show it as another name', () => {
    expect(fileName('gpj.\u202eexe.txt')).toBe('gpj.exe.txt');
    expect(fileName('\u2066a\u2069\u200f.pdf')).toBe('a.pdf');
  });
});
