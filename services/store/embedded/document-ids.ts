import { randomBytes } from 'node:crypto';

// NeDB gives a document without an `_id` one made of 12 bytes from the OS's random source, then looks
// it up in case it is taken: a system call and a tree search per insert, ≈ 8 % of a routing
// decision's CPU. The embedded store is one process per data directory (data-dir-lock.ts), so a
// random prefix drawn once per process (72 bits: no clash with any earlier process's ids in
// practice) and a counter give unique ids without either. The counter is padded so ids sort in
// insertion order, which keeps NeDB's `_id` tree appending at its edge.
const prefix = randomBytes(9).toString('base64url');
let counter = 0;

export function newDocumentId(): string {
  counter += 1;
  return prefix + counter.toString(36).padStart(10, '0');
}
