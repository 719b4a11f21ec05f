import type { AssignmentMethodRanking, Candidate } from './methods/assignment-method.js';

/**
 * One queue's agents in the order its assignment method ranks them, kept up to date as agents
 * change, so a decision finds the best eligible agent without ranking every agent again (a scan was
 * most of a decision's own CPU with 1,000 agents). A binary heap with each agent's position; `first`
 * walks it best-first — a node is visited only after its parent — and stops at the first agent the
 * caller accepts, which is the best acceptable one because the order is total (method keys, then id).
 */
export class AgentOrder<R extends Candidate> {
  private readonly heap: Node<R>[] = [];
  private readonly byId = new Map<string, Node<R>>();

  constructor(
    private readonly ranking: AssignmentMethodRanking,
    private readonly free: (c: Candidate) => number,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** A new, empty order by the same method. */
  emptied(): AgentOrder<R> {
    return new AgentOrder<R>(this.ranking, this.free);
  }

  /** Adds the agent, or moves it to where its current state ranks it. */
  upsert(r: R): void {
    let node = this.byId.get(r.id);
    if (!node) {
      node = { r, k1: 0, k2: 0, pos: this.heap.length };
      this.byId.set(r.id, node);
      this.heap.push(node);
    }
    node.r = r;
    node.k1 = this.ranking.first(r, this.free);
    node.k2 = this.ranking.second(r);
    this.siftUp(node.pos);
    this.siftDown(node.pos);
  }

  remove(id: string): void {
    const node = this.byId.get(id);
    if (!node) return;
    this.byId.delete(id);
    const last = this.heap.pop()!;
    if (last === node) return;
    this.heap[node.pos] = last;
    last.pos = node.pos;
    this.siftUp(last.pos);
    this.siftDown(last.pos);
  }

  /** The best-ranked agent `accept` takes, or null. */
  first(accept: (r: R) => boolean): R | null {
    if (this.heap.length === 0) return null;
    // The frontier of the walk: nodes whose parent was visited, in rank order.
    const frontier: Node<R>[] = [this.heap[0]!];
    while (frontier.length > 0) {
      const node = popBest(frontier);
      if (accept(node.r)) return node.r;
      for (const child of [2 * node.pos + 1, 2 * node.pos + 2]) {
        if (child < this.heap.length) pushNode(frontier, this.heap[child]!);
      }
    }
    return null;
  }

  private siftUp(i: number): void {
    const node = this.heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(node, this.heap[parent]!)) break;
      this.place(this.heap[parent]!, i);
      i = parent;
    }
    this.place(node, i);
  }

  private siftDown(i: number): void {
    const node = this.heap[i]!;
    const n = this.heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(this.heap[right]!, this.heap[left]!) ? right : left;
      if (!before(this.heap[child]!, node)) break;
      this.place(this.heap[child]!, i);
      i = child;
    }
    this.place(node, i);
  }

  private place(node: Node<R>, i: number): void {
    this.heap[i] = node;
    node.pos = i;
  }
}

interface Node<R extends Candidate> {
  r: R;
  k1: number;
  k2: number;
  pos: number;
}

/** Method keys, lower first; then the lower agent id (as `chooseAgent` breaks ties). */
function before<R extends Candidate>(a: Node<R>, b: Node<R>): boolean {
  if (a.k1 !== b.k1) return a.k1 < b.k1;
  if (a.k2 !== b.k2) return a.k2 < b.k2;
  return a.r.id < b.r.id;
}

// A small binary heap of nodes for the walk's frontier.
function pushNode<R extends Candidate>(h: Node<R>[], node: Node<R>): void {
  let i = h.length;
  h.push(node);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(node, h[parent]!)) break;
    h[i] = h[parent]!;
    i = parent;
  }
  h[i] = node;
}

function popBest<R extends Candidate>(h: Node<R>[]): Node<R> {
  const top = h[0]!;
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= h.length) break;
    const right = left + 1;
    const child = right < h.length && before(h[right]!, h[left]!) ? right : left;
    if (!before(h[child]!, last)) break;
    h[i] = h[child]!;
    i = child;
  }
  h[i] = last;
  return top;
}
