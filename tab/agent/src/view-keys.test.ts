import { describe, expect, it } from 'vitest';
import { sessionShortcut, viewForKey } from './view-keys.js';

const VIEWS = ['dashboard', 'supervisor', 's:c1', 's:c2', 's:c3'];
const press = (
  code: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {},
) => ({
  altKey: true,
  shiftKey: true,
  ctrlKey: false,
  metaKey: false,
  code,
  ...mods,
});

describe('moving between views from the keyboard', () => {
  it('goes to the nth session with Alt+Shift and its digit, to the dashboard with 0', () => {
    expect(viewForKey(press('Digit1'), VIEWS, 'dashboard')).toBe('s:c1');
    expect(viewForKey(press('Numpad3'), VIEWS, 'dashboard')).toBe('s:c3');
    expect(viewForKey(press('Digit0'), VIEWS, 's:c2')).toBe('dashboard');
    expect(viewForKey(press('Digit4'), VIEWS, 'dashboard')).toBeNull();
  });

  it('goes to the next or previous view with the arrows, and stops at the ends', () => {
    expect(viewForKey(press('ArrowDown'), VIEWS, 'dashboard')).toBe('supervisor');
    expect(viewForKey(press('ArrowDown'), VIEWS, 's:c2')).toBe('s:c3');
    expect(viewForKey(press('ArrowUp'), VIEWS, 's:c1')).toBe('supervisor');
    expect(viewForKey(press('ArrowDown'), VIEWS, 's:c3')).toBeNull();
    expect(viewForKey(press('ArrowUp'), VIEWS, 'dashboard')).toBeNull();
  });

  it('takes nothing but Alt+Shift alone: typing and other shortcuts pass', () => {
    expect(viewForKey(press('Digit1', { shiftKey: false }), VIEWS, 'dashboard')).toBeNull();
    expect(viewForKey(press('Digit1', { ctrlKey: true }), VIEWS, 'dashboard')).toBeNull();
    expect(viewForKey(press('Digit1', { metaKey: true }), VIEWS, 'dashboard')).toBeNull();
    expect(viewForKey({ ...press('Digit1'), altKey: false }, VIEWS, 'dashboard')).toBeNull();
    expect(viewForKey(press('KeyO'), VIEWS, 'dashboard')).toBeNull();
  });

  it('names the first nine sessions’ keys', () => {
    expect(sessionShortcut(0)).toBe('Alt+Shift+1');
    expect(sessionShortcut(8)).toBe('Alt+Shift+9');
    expect(sessionShortcut(9)).toBeUndefined();
  });
});
