/**
 * Files in the transcript, fetched once each as object URLs. Fetching needs the conversation's
 * token (an `<img src>` could not carry it), so only our own server's attachment links are
 * fetched; the object URLs are revoked once their messages leave the transcript.
 */
import type { DirectLineApi } from './directline.js';
import { isOwnAttachment } from './files.js';

export class AttachmentCache {
  /** contentUrl → its object URL (null when fetching failed). */
  private readonly loads = new Map<string, Promise<string | null>>();

  constructor(
    private readonly api: DirectLineApi,
    private readonly token: () => string | null,
  ) {}

  /** Whether this link may be fetched with our token: otherwise the widget shows only a name. */
  canFetch(contentUrl: string | undefined): contentUrl is string {
    return isOwnAttachment(contentUrl, this.api.domain);
  }

  /** An object URL for the file, or null when it could not be fetched (the caller shows its name). */
  objectUrl(contentUrl: string): Promise<string | null> {
    const known = this.loads.get(contentUrl);
    if (known) return known;
    const load: Promise<string | null> = this.fetch(contentUrl).then((url) => {
      if (this.loads.get(contentUrl) === load) {
        // A failed load is not kept: the next time the message is drawn tries again.
        if (url === null) this.loads.delete(contentUrl);
        return url;
      }
      // Dropped while it was on its way: nobody else would revoke it.
      if (url) URL.revokeObjectURL(url);
      return null;
    });
    this.loads.set(contentUrl, load);
    return load;
  }

  /** Revokes the object URLs of files no longer shown. */
  keep(contentUrls: ReadonlySet<string>): void {
    for (const url of [...this.loads.keys()]) if (!contentUrls.has(url)) this.drop(url);
  }

  private async fetch(contentUrl: string): Promise<string | null> {
    const token = this.token();
    if (!token) return null;
    try {
      return URL.createObjectURL(await this.api.attachment(contentUrl, token));
    } catch (err) {
      console.warn('[switchboard] attachment not loaded', err);
      return null;
    }
  }

  private drop(contentUrl: string): void {
    const load = this.loads.get(contentUrl);
    this.loads.delete(contentUrl);
    void load?.then((url) => url && URL.revokeObjectURL(url));
  }
}
