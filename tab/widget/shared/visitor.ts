/** Visitor details an agent sees next to the conversation (Omnichannel's "visitor details"). */
export interface VisitorDetails {
  browser: string;
  os: string;
  language: string;
  authenticated: boolean;
  device: 'desktop' | 'tablet' | 'mobile';
}

export interface VisitorInput {
  userAgent: string;
  language: string;
  authenticated: boolean;
  /** navigator.maxTouchPoints: iPadOS reports a desktop Safari user agent, touch gives it away. */
  maxTouchPoints?: number;
}

export function detectVisitor(input: VisitorInput): VisitorDetails {
  const ua = input.userAgent;
  const os = detectOs(ua, input.maxTouchPoints ?? 0);
  return {
    browser: detectBrowser(ua),
    os,
    language: input.language || 'unknown',
    authenticated: input.authenticated,
    device: detectDevice(ua, os),
  };
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

export function detectBrowser(ua: string): string {
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m) return `${name} ${m[1]}`;
  }
  return 'Unknown';
}

export function detectOs(ua: string, maxTouchPoints = 0): string {
  if (/Windows NT/.test(ua)) return 'Windows';
  if (/iPhone|iPod/.test(ua)) return 'iOS';
  if (/iPad/.test(ua) || (/Macintosh/.test(ua) && maxTouchPoints > 1)) return 'iPadOS';
  if (/Android/.test(ua)) return 'Android';
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/Mac OS X|Macintosh/.test(ua)) return 'macOS';
  if (/Linux/.test(ua)) return 'Linux';
  return 'Unknown';
}

function detectDevice(ua: string, os: string): VisitorDetails['device'] {
  if (os === 'iPadOS' || (/Android/.test(ua) && !/Mobile/.test(ua)) || /Tablet/.test(ua)) return 'tablet';
  if (os === 'iOS' || /Mobile|Android/.test(ua)) return 'mobile';
  return 'desktop';
}
