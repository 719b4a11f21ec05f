// A document as one line of NeDB's datafile: JSON with every Date written as `{"$$date": <ms>}`, the
// form NeDB reads back into a Date. NeDB's own `serialize` gets there through a JSON.stringify
// replacer — a call into JavaScript for every key — and re-checks key names that NeDB and
// document-keys.ts have already checked; that was ≈ 8 % of a routing decision's CPU. Here the
// document is walked once for Dates (copied only along the paths that hold one) and handed to the
// native JSON.stringify whole.

type Plain = Record<string, unknown>;

export function datafileLine(doc: object): string {
  return JSON.stringify(withTaggedDates(doc));
}

function withTaggedDates(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return { $$date: value.getTime() };
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const tagged = withTaggedDates(item);
      if (tagged !== item) (out ??= value.slice())[i] = tagged;
    }
    return out ?? value;
  }
  let out: Plain | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Plain)[key];
    const tagged = withTaggedDates(item);
    if (tagged !== item) (out ??= { ...(value as Plain) })[key] = tagged;
  }
  return out ?? value;
}
