import { crc32, deflateSync } from 'node:zlib';

// The app's two icons, drawn from geometry so the package needs no binary files in the repository.
// Teams asks for a full-colour 192×192 PNG and a 32×32 outline PNG: white on a transparent background.

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
/** The manifest's accentColor, #2F5AA8. */
export const ACCENT: Rgb = [0x2f, 0x5a, 0xa8];

/** A switchboard: a hub wired to three stations, in unit coordinates. */
const HUB = { x: 0.5, y: 0.52, r: 0.11 };
const STATIONS = [
  { x: 0.24, y: 0.27, r: 0.085 },
  { x: 0.76, y: 0.27, r: 0.085 },
  { x: 0.5, y: 0.86, r: 0.085 },
];
const WIRE = 0.035;

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inGlyph(x: number, y: number): boolean {
  if (Math.hypot(x - HUB.x, y - HUB.y) <= HUB.r) return true;
  for (const s of STATIONS) {
    if (Math.hypot(x - s.x, y - s.y) <= s.r) return true;
    if (segmentDistance(x, y, HUB.x, HUB.y, s.x, s.y) <= WIRE) return true;
  }
  return false;
}

/** A rounded square filling the icon, radius 22% of the side. */
function inTile(x: number, y: number): boolean {
  const r = 0.22;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

/** Coverage of one pixel by a shape, from 4×4 samples (anti-aliased edges). */
function coverage(size: number, px: number, py: number, inside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      if (inside((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
    }
  }
  return hits / 16;
}

function render(size: number, pixel: (px: number, py: number) => [number, number, number, number]): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set(pixel(x, y), (y * size + x) * 4);
  }
  return encodePng(size, size, rgba);
}

/** 192×192: the white glyph on an accent-coloured rounded tile; the corners are transparent. */
export function colorIcon(): Buffer {
  const size = 192;
  // The glyph is drawn at 70% of the tile, centred, so it keeps a margin inside the rounded corners.
  const glyph = (x: number, y: number) => inGlyph((x - 0.15) / 0.7, (y - 0.15) / 0.7);
  return render(size, (px, py) => {
    const tile = coverage(size, px, py, inTile);
    const g = coverage(size, px, py, glyph);
    const mix = (c: number, w: number) => Math.round(c * (1 - g) + w * g);
    return [
      mix(ACCENT[0], WHITE[0]),
      mix(ACCENT[1], WHITE[1]),
      mix(ACCENT[2], WHITE[2]),
      Math.round(tile * 255),
    ];
  });
}

/** 32×32: the white glyph alone on a transparent background, as Teams requires of outline icons. */
export function outlineIcon(): Buffer {
  const size = 32;
  return render(size, (px, py) => [...WHITE, Math.round(coverage(size, px, py, inGlyph) * 255)]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** PNG (RFC 2083): 8-bit RGBA, no interlace, filter type 0 on every row. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
