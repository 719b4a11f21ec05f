import type { Deps } from '../../domain/deps.js';
import type { Collection } from '../port.js';

/** What is known of a stored file without its bytes. */
export interface FileInfo {
  id: string;
  /** Who sent it, and so who may read it through a channel: e.g. `directline:<conversation id>`. */
  owner: string;
  /** Who else may read it through a channel: the customer an agent sent it to. */
  sharedWith?: string[];
  name: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

interface FileDoc extends FileInfo {
  /**
   * The bytes, base64: both stores keep strings as they are, and no file is larger than a few MB
   * (`MAX_FILE_BYTES`). Read only when someone opens the file.
   */
  data: string;
}

const INFO_FIELDS = ['id', 'owner', 'sharedWith', 'name', 'contentType', 'size', 'createdAt'] as const;

/** Files customers sent, checked (domain/files.ts) before they get here; kept with the transcript. */
export class Files {
  constructor(
    private readonly collection: Collection<FileDoc>,
    private readonly deps: Deps,
  ) {}

  async put(
    input: Omit<FileInfo, 'id' | 'createdAt' | 'size' | 'sharedWith'> & { bytes: Uint8Array },
  ): Promise<FileInfo> {
    const { bytes, ...rest } = input;
    const info: FileInfo = {
      ...rest,
      id: this.deps.newId('file'),
      size: bytes.length,
      createdAt: this.deps.now(),
    };
    await this.collection.insertOne({ ...info, data: Buffer.from(bytes).toString('base64') });
    return info;
  }

  async info(id: string): Promise<FileInfo | null> {
    const [found] = await this.collection.findFields({ id }, INFO_FIELDS, { limit: 1 });
    return (found as FileInfo | undefined) ?? null;
  }

  /** The file and its bytes, if it exists. */
  async read(id: string): Promise<{ info: FileInfo; bytes: Buffer } | null> {
    const doc = await this.collection.findOne({ id });
    if (!doc) return null;
    const { data, ...info } = doc;
    return { info, bytes: Buffer.from(data, 'base64') };
  }

  /** Lets `reader` read the file too (once however often asked). */
  async share(id: string, reader: string): Promise<void> {
    await this.collection.updateOne({ id }, { $addToSet: { sharedWith: reader } });
  }

  /** Whether `reader` may read the file through a channel: it sent it, or it was shared with it. */
  static readableBy(info: FileInfo, reader: string): boolean {
    return info.owner === reader || (info.sharedWith ?? []).includes(reader);
  }

  /** Forgets files kept for a message that was then refused, so they count against no limit. */
  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.collection.deleteMany({ id: { $in: [...ids] } });
  }

  /** How many files this owner has sent. */
  countOf(owner: string): Promise<number> {
    return this.collection.count({ owner });
  }
}
