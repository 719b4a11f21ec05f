export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Per label: precision, recall, F1. */
  perLabel: Record<string, { precision: number; recall: number; f1: number }>;
}

/** Accuracy and macro-averaged F1 over the labels that occur in `gold` (the usual definition). */
export function classificationReport(
  gold: readonly string[],
  predicted: readonly string[],
): ClassificationReport {
  const labels = [...new Set(gold)].sort();
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  const perLabel: ClassificationReport['perLabel'] = {};
  let f1Sum = 0;
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === label;
      const p = predicted[i] === label;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[label] = { precision, recall, f1 };
    f1Sum += f1;
  }
  return {
    n: gold.length,
    accuracy: gold.length ? correct / gold.length : 0,
    macroF1: labels.length ? f1Sum / labels.length : 0,
    perLabel,
  };
}

/** Mean reciprocal rank and recall@k, given the 1-based rank of the right answer (undefined = not found). */
export function rankingReport(
  ranks: ReadonlyArray<number | undefined>,
  k = 3,
): { n: number; mrr: number; recallAtK: number; k: number } {
  let rr = 0;
  let hits = 0;
  for (const r of ranks) {
    if (r === undefined) continue;
    rr += 1 / r;
    if (r <= k) hits++;
  }
  const n = ranks.length;
  return { n, mrr: n ? rr / n : 0, recallAtK: n ? hits / n : 0, k };
}
