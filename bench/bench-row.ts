/**
 * One benchmark figure. Machines here are noisy, so every figure is quoted as a ratio against a
 * baseline measured in the same run, with the absolute numbers beside it.
 */
export interface BenchRow {
  name: string;
  /** Operations per second of the thing measured. */
  opsPerSec: number;
  /** What the baseline is, e.g. "bare NeDB findOneAndUpdate loop", and its operations per second. */
  baseline: { name: string; opsPerSec: number };
  /** opsPerSec / baseline.opsPerSec. */
  ratio: number;
  /** Latency figures, targets, sizes … */
  notes?: string;
}

export function formatTable(rows: BenchRow[]): string {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  const lines = [
    '| benchmark | ops/s | baseline | baseline ops/s | ratio | notes |',
    '| --- | ---: | --- | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.opsPerSec)} | ${r.baseline.name} | ${fmt(r.baseline.opsPerSec)} | ${r.ratio.toFixed(3)} | ${r.notes ?? ''} |`,
    ),
  ];
  return lines.join('\n');
}
