/**
 * Files customers send (a photo of the router's lights, a bill): which are taken, and what they
 * really are. A file is kept only when its first bytes say it is what it claims: a page or a script
 * renamed `.png` is refused, so no browser of an agent is handed one as an image.
 */

import { clipCharacters, withoutControlCharacters } from './message-text.js';

/** The most a file may hold: a phone photo, a bill of a few pages. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The most files one conversation keeps: beyond that, someone is using the chat as storage. */
export const MAX_FILES_PER_CONVERSATION = 20;

const AGENT_FILES = 'conversation:';

/** Who the files agents send in a conversation belong to in the file store. */
export const agentFilesOwner = (conversationId: string) => `${AGENT_FILES}${conversationId}`;

/** The conversation an agent sent a file in, by the file's owner; undefined for a customer's file. */
export function conversationOfAgentFile(owner: string): string | undefined {
  return owner.startsWith(AGENT_FILES) ? owner.slice(AGENT_FILES.length) : undefined;
}

/** Types taken, each with the start every such file has (none for text, checked otherwise). */
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38]),
  'image/webp': (b) =>
    startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50]),
  'application/pdf': (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]),
  'text/plain': isPlainText,
};

export const ACCEPTED_FILE_TYPES: readonly string[] = Object.keys(SIGNATURES);

/** The extensions a file of each type may keep; the first is given to one that has none of them. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jfif'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text', 'log'],
};

/**
 * The name with an extension of the type the file was checked to be. A browser saving a download
 * goes by its name: a page sent as text under `invoice.html` would be saved as a page that runs its
 * script when opened, so it is `invoice.html.txt`.
 */
function withTypeExtension(name: string, type: string): string {
  const allowed = EXTENSIONS[type] ?? [];
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext !== undefined && allowed.includes(ext)) return name;
  const suffix = `.${allowed[0] ?? 'bin'}`;
  return `${clipCharacters(name, 200 - suffix.length)}${suffix}`;
}

export type FileCheck =
  | { ok: true; contentType: string; name: string }
  | { ok: false; reason: 'empty' | 'too_large' | 'type'; message: string };

/** Whether a file may be kept, as what type and under what name. */
export function checkFile(name: string, declaredType: string, bytes: Uint8Array): FileCheck {
  const shown = fileName(name);
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: `${shown} is empty` };
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      ok: false,
      reason: 'too_large',
      message: `${shown} is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB`,
    };
  }
  // The declared type without parameters (`text/plain; charset=utf-8`).
  const type = declaredType.split(';')[0]!.trim().toLowerCase();
  const matches = SIGNATURES[type];
  if (!matches) {
    return {
      ok: false,
      reason: 'type',
      message: `${shown}: only pictures (PNG, JPEG, GIF, WebP), PDF and plain text files can be sent`,
    };
  }
  if (!matches(bytes)) {
    return { ok: false, reason: 'type', message: `${shown} is not the ${type} file it says it is` };
  }
  return { ok: true, contentType: type, name: withTypeExtension(shown, type) };
}

/**
 * Which picture the bytes are (PNG, JPEG, GIF, WebP), for a channel that says only `image/*` (Teams'
 * pasted pictures); undefined for anything else.
 */
export function pictureType(bytes: Uint8Array): string | undefined {
  return Object.keys(SIGNATURES).find((t) => t.startsWith('image/') && SIGNATURES[t]!(bytes));
}

// Direction marks and overrides in a name show it as something else: `gpj.\u202eexe.txt`, a text
// file, reads as `gpj.txt.exe` to the agent about to open it.
const LINE_BREAKS_AND_TABS = /[\t\n\r]/g;
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name a file is shown and saved under: no folders (a browser's `C:\fakepath\`, `../`), no
 * control characters or direction overrides, and not endless (200 characters, an emoji whole).
 */
export function fileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = withoutControlCharacters(base)
    .replace(LINE_BREAKS_AND_TABS, '')
    .replace(BIDI_CONTROLS, '')
    .trim();
  return clipCharacters(clean || 'file', 200);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** UTF-8 without NULs: what a text file is, and what no image, archive or program is. */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
