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

export async function pasteFile(target: Locator, file: BrowserFile): Promise<void> {
  await target.evaluate((el, f) => {
    const data = new DataTransfer();
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    data.items.add(new File([bytes], f.name, { type: f.mimeType }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, inPage(file));
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
