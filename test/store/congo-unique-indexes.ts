// CongoDB records unique indexes but never checks them (its insert and update handlers do not
// consult its IndexEngine), so without this every duplicate-key path of the Mongo adapter — a
// repeated activity, an idempotent send, two instances storing the same event number — went
// untested over the wire here. This layer gives CongoDB's in-memory storage MongoDB's rule: a write
// that would give two documents the same key of a unique index fails with error 11000 and changes
// nothing. Keys follow MongoDB: a missing field is null (two documents without it collide) unless
// the index is sparse and the document has none of its fields; an array field is one key per
// element; values compare with their types ("1" is not 1).

interface IndexSpec {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  sparse?: boolean;
}

type Doc = Record<string, unknown> & { _id?: unknown };

/** The storage methods CongoDB's command handlers call for writes and index changes. */
interface WritableStorage {
  insertOne(db: string, coll: string, doc: Doc): Promise<Doc>;
  updateById(db: string, coll: string, id: HexId, doc: Doc): Promise<boolean>;
  deleteById(db: string, coll: string, id: HexId): Promise<boolean>;
  findAll(db: string, coll: string): Promise<Doc[]>;
  saveIndex(db: string, coll: string, name: string, spec: Omit<IndexSpec, 'name'>): Promise<void>;
  dropIndex(db: string, coll: string, name: string): Promise<boolean>;
  dropCollection(db: string, coll: string): Promise<boolean>;
  dropDatabase(db: string): Promise<boolean>;
  renameCollection(db: string, from: string, to: string): Promise<void>;
}

interface HexId {
  toHexString(): string;
}

/** One unique index: its spec and which document holds each key. */
interface UniqueTable {
  spec: IndexSpec;
  owners: Map<string, string>;
}

/** A collection's unique indexes, and the keys each document holds in them (to move or drop them). */
interface CollectionKeys {
  tables: Map<string, UniqueTable>;
  held: Map<string, Map<string, string[]>>;
}

function duplicateKey(db: string, coll: string, spec: IndexSpec, key: string): Error {
  return Object.assign(
    new Error(`E11000 duplicate key error collection: ${db}.${coll} index: ${spec.name} dup key: ${key}`),
    { code: 11000, codeName: 'DuplicateKey', keyPattern: spec.key },
  );
}

function hexOf(id: unknown): string {
  if (typeof id === 'string') return id.toLowerCase();
  if (id && typeof (id as HexId).toHexString === 'function') return (id as HexId).toHexString();
  return JSON.stringify(id);
}

/** A value as an index key part: typed, so "1", 1 and true stay apart, as in BSON. */
function keyPart(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'boolean') return `b:${value}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (typeof (value as HexId).toHexString === 'function') return `o:${(value as HexId).toHexString()}`;
  return `j:${JSON.stringify(value)}`;
}

function valueAt(doc: Doc, path: string): unknown {
  let node: unknown = doc;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** The keys a document has in an index; none when a sparse index leaves it out. */
function keysOf(doc: Doc, spec: IndexSpec): string[] {
  const values = Object.keys(spec.key).map((field) => valueAt(doc, field));
  if (spec.sparse && values.every((v) => v === undefined)) return [];
  const arrayAt = values.findIndex(Array.isArray);
  if (arrayAt < 0) return [values.map(keyPart).join('|')];
  const elements = values[arrayAt] as unknown[];
  const tuples = elements.length === 0 ? [undefined] : elements;
  return [...new Set(tuples.map((el) => values.map((v, i) => keyPart(i === arrayAt ? el : v)).join('|')))];
}

/** Makes `storage` (CongoDB's MemoryStorageAdapter) refuse writes that break a unique index. */
export function enforceUniqueIndexes(storage: WritableStorage): void {
  const collections = new Map<string, CollectionKeys>();
  const nameOf = (db: string, coll: string) => `${db}\u0000${coll}`;
  const keysFor = (db: string, coll: string): CollectionKeys | undefined => collections.get(nameOf(db, coll));

  /** The keys `doc` would hold in each unique index; throws 11000 if another document holds one. */
  function claim(
    db: string,
    coll: string,
    keys: CollectionKeys,
    id: string,
    doc: Doc,
  ): Map<string, string[]> {
    const wanted = new Map<string, string[]>();
    for (const [name, table] of keys.tables) {
      const mine = keysOf(doc, table.spec);
      for (const key of mine) {
        const owner = table.owners.get(key);
        if (owner !== undefined && owner !== id) throw duplicateKey(db, coll, table.spec, key);
      }
      wanted.set(name, mine);
    }
    return wanted;
  }

  function release(keys: CollectionKeys, id: string): void {
    const held = keys.held.get(id);
    if (!held) return;
    for (const [name, list] of held) {
      const owners = keys.tables.get(name)?.owners;
      for (const key of list) if (owners?.get(key) === id) owners.delete(key);
    }
    keys.held.delete(id);
  }

  function hold(keys: CollectionKeys, id: string, wanted: Map<string, string[]>): void {
    for (const [name, list] of wanted) {
      const owners = keys.tables.get(name)!.owners;
      for (const key of list) owners.set(key, id);
    }
    keys.held.set(id, wanted);
  }

  const inner = {
    insertOne: storage.insertOne.bind(storage),
    updateById: storage.updateById.bind(storage),
    deleteById: storage.deleteById.bind(storage),
    saveIndex: storage.saveIndex.bind(storage),
    dropIndex: storage.dropIndex.bind(storage),
    dropCollection: storage.dropCollection.bind(storage),
    dropDatabase: storage.dropDatabase.bind(storage),
    renameCollection: storage.renameCollection.bind(storage),
  };

  // Each check and the write it guards run in one synchronous step (the in-memory adapter's
  // methods change their maps before their first await), so two connections cannot interleave
  // between them.
  storage.insertOne = (db, coll, doc) => {
    const keys = keysFor(db, coll);
    const id = hexOf(doc._id);
    // Every document of an indexed collection holds its keys: one already here is a taken _id,
    // which the adapter refuses itself.
    if (keys && !keys.held.has(id)) hold(keys, id, claim(db, coll, keys, id, doc));
    return inner.insertOne(db, coll, doc);
  };

  storage.updateById = (db, coll, id, doc) => {
    const keys = keysFor(db, coll);
    const hex = id.toHexString();
    if (keys?.held.has(hex)) {
      const wanted = claim(db, coll, keys, hex, doc);
      release(keys, hex);
      hold(keys, hex, wanted);
    }
    return inner.updateById(db, coll, id, doc);
  };

  storage.deleteById = (db, coll, id) => {
    const keys = keysFor(db, coll);
    if (keys) release(keys, id.toHexString());
    return inner.deleteById(db, coll, id);
  };

  storage.saveIndex = async (db, coll, name, spec) => {
    if (!spec.unique) return inner.saveIndex(db, coll, name, spec);
    // As MongoDB, a unique index is not built over documents that already break it.
    const table: UniqueTable = { spec: { name, ...spec }, owners: new Map() };
    const docs = await storage.findAll(db, coll);
    const keys = keysFor(db, coll) ?? { tables: new Map(), held: new Map() };
    const perDoc = new Map<string, string[]>();
    for (const doc of docs) {
      const id = hexOf(doc._id);
      const mine = keysOf(doc, table.spec);
      for (const key of mine) {
        if (table.owners.has(key)) throw duplicateKey(db, coll, table.spec, key);
        table.owners.set(key, id);
      }
      perDoc.set(id, mine);
    }
    await inner.saveIndex(db, coll, name, spec);
    keys.tables.set(name, table);
    for (const [id, mine] of perDoc) {
      const held = keys.held.get(id) ?? new Map<string, string[]>();
      held.set(name, mine);
      keys.held.set(id, held);
    }
    collections.set(nameOf(db, coll), keys);
  };

  storage.dropIndex = async (db, coll, name) => {
    const keys = keysFor(db, coll);
    if (keys?.tables.delete(name)) for (const held of keys.held.values()) held.delete(name);
    return inner.dropIndex(db, coll, name);
  };

  storage.dropCollection = async (db, coll) => {
    collections.delete(nameOf(db, coll));
    return inner.dropCollection(db, coll);
  };

  storage.dropDatabase = async (db) => {
    for (const name of [...collections.keys()]) if (name.startsWith(`${db}\u0000`)) collections.delete(name);
    return inner.dropDatabase(db);
  };

  storage.renameCollection = async (db, from, to) => {
    await inner.renameCollection(db, from, to);
    const keys = collections.get(nameOf(db, from));
    collections.delete(nameOf(db, from));
    if (keys) collections.set(nameOf(db, to), keys);
  };
}
