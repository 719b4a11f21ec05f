import { open, stat } from 'node:fs/promises';

/**
 * NeDB appends one line per write and acknowledges a write only after the append returned, so the
 * only damage a SIGKILL or power cut can leave is a torn last line of an unacknowledged write. Cut
 * it off before NeDB loads the file; NeDB's own corruption threshold then still guards against
 * real corruption anywhere else in the file.
 */
export async function cutTornTail(filename: string): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(filename)).size;
  } catch {
    return false; // No file yet: a fresh collection.
  }
  if (size === 0) return false;
  const handle = await open(filename, 'r+');
  try {
    const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
    let end = size;
    // Walk back to the last newline; a complete file ends with one.
    for (;;) {
      const start = Math.max(0, end - chunk.length);
      const length = end - start;
      await handle.read(chunk, 0, length, start);
      if (end === size && chunk[length - 1] === 0x0a) return false;
      const nl = chunk.subarray(0, length).lastIndexOf(0x0a);
      if (nl >= 0) {
        await handle.truncate(start + nl + 1);
        await handle.sync();
        return true;
      }
      if (start === 0) {
        await handle.truncate(0);
        await handle.sync();
        return true;
      }
      end = start;
    }
  } finally {
    await handle.close();
  }
}
