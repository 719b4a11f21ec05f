/**
 * What the customer may send as a file, and which attachment links the widget may fetch with its
 * token. Pure, so the rules are tested without a browser.
 */

/** The types the server's upload accepts (bot/directline): photos of a router, a PDF bill, a log. */
export const ACCEPTED_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;

/** The server refuses larger uploads (413); checking first spares the customer a wasted upload. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface PickedFile {
  name: string;
  type: string;
  size: number;
}

/** Why this file cannot be sent, in words for the customer; null when it may be. */
export function fileProblem(file: PickedFile): string | null {
  if (!(ACCEPTED_TYPES as readonly string[]).includes(file.type))
    return `“${file.name}” can't be sent: send a photo (PNG, JPEG, GIF or WebP), a PDF or a text file.`;
  if (file.size > MAX_FILE_BYTES)
    return `“${file.name}” is too big to send (${megabytes(file.size)}): files can be up to 4 MB.`;
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

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
