// What an agent may send a customer as a file: the server checks it again (services/domain/files.ts,
// which browser code may not import), this spares the agent an upload that would be refused.

export const ACCEPTED_FILE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
];

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Why the file cannot be sent, in the agent's words; null when it may be. */
export function fileProblem(file: { name: string; type: string; size: number }): string | null {
  if (!ACCEPTED_FILE_TYPES.includes(file.type))
    return `${file.name} cannot be sent: pictures (PNG, JPEG, GIF, WebP), PDF and text files only`;
  if (file.size > MAX_FILE_BYTES) return `${file.name} is larger than 4 MB`;
  if (file.size === 0) return `${file.name} is empty`;
  return null;
}
