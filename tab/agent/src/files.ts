// What an agent may send a customer as a file: checked here first (tab/shared/files.ts), so the agent
// is told at once rather than after an upload the server would refuse.
import { ACCEPTED_FILE_TYPES, MAX_FILE_BYTES, fileSizeLabel } from '../../shared/files.js';

export { ACCEPTED_FILE_TYPES, MAX_FILE_BYTES, fileSizeLabel };

/** Why the file cannot be sent, in the agent's words; null when it may be. */
export function fileProblem(file: { name: string; type: string; size: number }): string | null {
  if (!ACCEPTED_FILE_TYPES.includes(file.type))
    return `${file.name} cannot be sent: pictures (PNG, JPEG, GIF, WebP), PDF and text files only`;
  if (file.size > MAX_FILE_BYTES) return `${file.name} is larger than 4 MB`;
  if (file.size === 0) return `${file.name} is empty`;
  return null;
}
