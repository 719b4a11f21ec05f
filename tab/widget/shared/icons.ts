/** Inline SVG icons (Fluent System Icons, MIT) built with DOM APIs: no icon font, no network. */
const SVG_NS = 'http://www.w3.org/2000/svg';

export const ICONS = {
  chat: 'M12 2a10 10 0 1 1-4.64 18.86l-4.3 1.12a.85.85 0 0 1-1.04-1.04l1.12-4.3A10 10 0 0 1 12 2Zm1.25 11h-4.5a.75.75 0 0 0-.1 1.5h4.6a.75.75 0 0 0 .1-1.5h-.1Zm2-3.5h-6.5a.75.75 0 0 0-.1 1.5h6.6a.75.75 0 0 0 .1-1.5h-.1Z',
  chevronDown:
    'M4.22 8.47a.75.75 0 0 1 1.06 0L12 15.19l6.72-6.72a.75.75 0 1 1 1.06 1.06l-7.25 7.25a.75.75 0 0 1-1.06 0L4.22 9.53a.75.75 0 0 1 0-1.06Z',
  send: 'M12.82 12.2 5.3 13.46a.5.5 0 0 0-.38.32l-2.6 6.94a.75.75 0 0 0 1.03.94l18-9a.75.75 0 0 0 0-1.34l-18-9a.75.75 0 0 0-1.03.94l2.6 6.95a.5.5 0 0 0 .38.32l7.52 1.25a.2.2 0 0 1 0 .4Z',
  download:
    'M18.25 20.5a.75.75 0 1 1 0 1.5l-13 .004a.75.75 0 1 1 0-1.5l13-.004ZM11.648 2.012l.102-.007a.75.75 0 0 1 .743.648l.007.102-.001 13.685 3.722-3.72a.75.75 0 0 1 .976-.073l.084.073a.75.75 0 0 1 .073.976l-.073.084-4.997 4.997a.75.75 0 0 1-.976.073l-.085-.073-5.003-4.996a.75.75 0 0 1 .976-1.134l.084.072 3.719 3.714L11 2.755a.75.75 0 0 1 .648-.743l.102-.007-.102.007Z',
  dismiss:
    'm4.4 4.55.07-.08a.75.75 0 0 1 .98-.07l.08.07L12 10.94l6.47-6.47a.75.75 0 1 1 1.06 1.06L13.06 12l6.47 6.47c.27.27.3.68.07.98l-.07.08a.75.75 0 0 1-.98.07l-.08-.07L12 13.06l-6.47 6.47a.75.75 0 0 1-1.06-1.06L10.94 12 4.47 5.53a.75.75 0 0 1-.07-.98l.07-.08-.07.08Z',
  star: 'M10.79 3.1c.5-1 1.92-1 2.42 0l2.36 4.78 5.27.77c1.1.16 1.55 1.52.75 2.3l-3.82 3.72.9 5.25a1.35 1.35 0 0 1-1.96 1.42L12 18.86l-4.72 2.48a1.35 1.35 0 0 1-1.96-1.42l.9-5.25-3.81-3.72c-.8-.78-.36-2.14.75-2.3l5.27-.77 2.36-4.78Z',
  bot: 'M17.75 14A2.25 2.25 0 0 1 20 16.25v.9c0 1.1-.47 2.13-1.3 2.85C17.14 21.33 14.9 22 12 22c-2.89 0-5.13-.66-6.7-2-.83-.72-1.3-1.76-1.3-2.85v-.9A2.25 2.25 0 0 1 6.25 14h11.5ZM11.9 2l.1-.01c.38 0 .7.28.74.65l.01.1V3.5h3.5A2.25 2.25 0 0 1 18.5 5.75v4.5a2.25 2.25 0 0 1-2.25 2.25h-8.5A2.25 2.25 0 0 1 5.5 10.25v-4.5A2.25 2.25 0 0 1 7.75 3.5h3.5v-.75c0-.38.28-.7.65-.74L12 2ZM9.75 6.5a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5Zm4.49 0a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5Z',
  attach: 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V7',
} as const;

/** Line drawings: stroked, not filled. */
const STROKED = new Set<keyof typeof ICONS>(['attach']);

export function icon(name: keyof typeof ICONS, className = 'sb-svg'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('d', ICONS[name]);
  if (STROKED.has(name)) {
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '1.5');
    p.setAttribute('stroke-linecap', 'round');
  }
  svg.append(p);
  return svg;
}
