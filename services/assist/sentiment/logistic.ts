// Multinomial logistic regression (softmax over three classes) with L2 regularisation, trained by
// full-batch Adam: deterministic (no shuffling, no random start), so the committed weights can be
// reproduced exactly from the committed data.

export interface TrainingRow {
  /** Feature indices and values (sparse). */
  idx: number[];
  val: number[];
  /** Class index. */
  y: number;
  /** Weight of this example in the loss. */
  w: number;
}

export interface SoftmaxOptions {
  classes: number;
  l2: number;
  iterations: number;
  learningRate: number;
}

/** Weights laid out feature-major: w[f * classes + c]; the biases are the last `classes` entries. */
export function trainSoftmax(
  rows: readonly TrainingRow[],
  features: number,
  o: SoftmaxOptions,
): Float64Array {
  const k = o.classes;
  const n = (features + 1) * k;
  const w = new Float64Array(n);
  const g = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const logits = new Float64Array(k);
  const biasAt = features * k;
  let total = 0;
  for (const r of rows) total += r.w;
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let t = 1; t <= o.iterations; t++) {
    g.fill(0);
    for (const r of rows) {
      for (let c = 0; c < k; c++) logits[c] = w[biasAt + c] as number;
      for (let j = 0; j < r.idx.length; j++) {
        const base = (r.idx[j] as number) * k;
        const x = r.val[j] as number;
        for (let c = 0; c < k; c++) logits[c] = (logits[c] as number) + (w[base + c] as number) * x;
      }
      softmaxInPlace(logits);
      const scale = r.w / total;
      for (let c = 0; c < k; c++) {
        const d = ((logits[c] as number) - (c === r.y ? 1 : 0)) * scale;
        g[biasAt + c] = (g[biasAt + c] as number) + d;
        for (let j = 0; j < r.idx.length; j++) {
          const at = (r.idx[j] as number) * k + c;
          g[at] = (g[at] as number) + d * (r.val[j] as number);
        }
      }
    }
    const lr = (o.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let i = 0; i < n; i++) {
      const gi = (g[i] as number) + (i < biasAt ? o.l2 * (w[i] as number) : 0);
      const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
      const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = (w[i] as number) - (lr * mi) / (Math.sqrt(vi) + 1e-8);
    }
  }
  return w;
}

export function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if ((z[c] as number) > max) max = z[c] as number;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp((z[c] as number) - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / sum;
}
