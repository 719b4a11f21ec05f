/**
 * What the customer may send as a file, and which attachment links the widget may fetch with its
 * token. Pure, so the rules are tested without a browser.
 */

import { ACCEPTED_FILE_TYPES as ACCEPTED_TYPES, MAX_FILE_BYTES, fileSizeLabel } from '../../shared/files.js';

export { ACCEPTED_TYPES, MAX_FILE_BYTES, fileSizeLabel };

export interface PickedFile {
  name: string;
  type: string;
  size: number;
}

/** Why this file cannot be sent, in words for the customer; null when it may be. */
export function fileProblem(file: PickedFile): string | null {
  if (!ACCEPTED_TYPES.includes(file.type))
    return `“${file.name}” can't be sent: send a photo (PNG, JPEG, GIF or WebP), a PDF or a text file.`;
  if (file.size > MAX_FILE_BYTES)
    return `“${file.name}” is too big to send (${fileSizeLabel(file.size)}): files can be up to 4 MB.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  return null;
}

/**
 * Whether an attachment's link is one of this conversation's files on our own Direct Line server.
 * Only those are fetched with the conversation token: anywhere else, the token would leak.
 */
export function isOwnAttachment(contentUrl: string | undefined, domain: string): boolean {
  if (!contentUrl) return false;
  let url: URL;
  let base: URL;
  try {
    base = new URL(domain);
    url = new URL(contentUrl);
  } catch {
    return false;
  }
  const prefix = `${base.pathname.replace(/\/+$/, '')}/conversations/`;
  return (
    url.origin === base.origin && url.pathname.startsWith(prefix) && url.pathname.includes('/attachments/')
  );
}
