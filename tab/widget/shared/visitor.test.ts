import { describe, expect, it } from 'vitest';
import { detectBrowser, detectVisitor } from './visitor.js';

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  androidPhone:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
};

describe('visitor detection', () => {
  it('names Edge as Edge although its user agent also says Chrome and Safari', () => {
    expect(detectBrowser(UA.edgeWindows)).toBe('Edge 131');
    expect(detectBrowser(UA.chromeWindows)).toBe('Chrome 131');
    expect(detectBrowser(UA.safariMac)).toBe('Safari 18');
    expect(detectBrowser(UA.firefoxLinux)).toBe('Firefox 133');
    expect(detectBrowser('curl/8')).toBe('Unknown');
  });

  it('reports OS, device, language and sign-in state', () => {
    const v = (userAgent: string, maxTouchPoints = 0) =>
      detectVisitor({ userAgent, language: 'en-US', authenticated: false, maxTouchPoints });
    expect(v(UA.chromeWindows)).toEqual({
      browser: 'Chrome 131',
      os: 'Windows',
      language: 'en-US',
      authenticated: false,
      device: 'desktop',
    });
    expect(v(UA.iphone)).toMatchObject({ os: 'iOS', device: 'mobile', browser: 'Safari 18' });
    expect(v(UA.androidPhone)).toMatchObject({ os: 'Android', device: 'mobile' });
    expect(v(UA.androidTablet)).toMatchObject({ os: 'Android', device: 'tablet' });
    // iPadOS asks for desktop sites with a Mac user agent; touch support gives it away.
    expect(v(UA.safariMac, 5)).toMatchObject({ os: 'iPadOS', device: 'tablet' });
    expect(v(UA.safariMac)).toMatchObject({ os: 'macOS', device: 'desktop' });
    expect(
      detectVisitor({ userAgent: UA.firefoxLinux, language: 'de-DE', authenticated: true }),
    ).toMatchObject({
      os: 'Linux',
      language: 'de-DE',
      authenticated: true,
    });
  });
});
