// What a chat takes as a file, for the browser code on both sides (the widget, the agent tab), so
// neither uploads what the server would refuse. The server's own rule is services/domain/files.ts,
// which browser code may not import; its test keeps the two the same.

export const ACCEPTED_FILE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
];

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A file's size as people read it: "12 KB", "2.5 MB". */
export function fileSizeLabel(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
