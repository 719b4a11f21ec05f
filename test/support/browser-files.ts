/**
 * A file pasted or dropped in a browser page, as the browser hands it to the page: a `paste` event
 * whose clipboard holds the file (a screenshot copied to the clipboard), and `dragover` then `drop`
 * events carrying it (a file dragged from the desktop). Playwright drives neither from outside the page.
 */
import type { Locator } from 'playwright-core';

export interface BrowserFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const inPage = (f: BrowserFile) => ({
  name: f.name,
  mimeType: f.mimeType,
  base64: f.buffer.toString('base64'),
});

/**
 * Pastes `file`, with `text` beside it when given (as Word and Excel put a picture of what was copied
 * beside its text). Answers whether the page took the paste for itself (prevented its default).
 */
export async function pasteFile(target: Locator, file: BrowserFile, text?: string): Promise<boolean> {
  return target.evaluate(
    (el, { f, text }) => {
      const data = new DataTransfer();
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], f.name, { type: f.mimeType }));
      if (text !== undefined) data.setData('text/plain', text);
      const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      el.dispatchEvent(paste);
      return paste.defaultPrevented;
    },
    { f: inPage(file), text },
  );
}

export async function dropFile(target: Locator, file: BrowserFile): Promise<void> {
  const data = await target.page().evaluateHandle((f) => {
    const transfer = new DataTransfer();
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name, { type: f.mimeType }));
    return transfer;
  }, inPage(file));
  await target.dispatchEvent('dragenter', { dataTransfer: data });
  await target.dispatchEvent('dragover', { dataTransfer: data });
  await target.dispatchEvent('drop', { dataTransfer: data });
  await data.dispose();
}
