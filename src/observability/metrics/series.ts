/**
 * Per-series state keyed by up to four label values, found without building a key or an array: one
 * Map per label, so a hot-path lookup of a series seen before allocates nothing (telemetry's CPU
 * budget, issue 13). A map is always used with the same number of labels.
 */
type Level = Map<string, unknown>;

export class SeriesMap<V> {
  private readonly root: Level = new Map();
  private readonly all: { readonly labels: readonly string[]; readonly value: V }[] = [];

  constructor(
    private readonly depth: 1 | 2 | 3 | 4,
    private readonly create: (labels: readonly string[]) => V,
  ) {}

  /** The series for these label values, created on first use. */
  get(a: string, b = '', c = '', d = ''): V {
    let level = this.root;
    if (this.depth > 1) level = step(level, a);
    if (this.depth > 2) level = step(level, b);
    if (this.depth > 3) level = step(level, c);
    const key = this.depth === 1 ? a : this.depth === 2 ? b : this.depth === 3 ? c : d;
    const found = level.get(key);
    if (found !== undefined) return found as V;
    const labels = [a, b, c, d].slice(0, this.depth);
    const value = this.create(labels);
    level.set(key, value);
    this.all.push({ labels, value });
    return value;
  }

  /** Every series so far, oldest first, for a backend's collection. */
  entries(): readonly { readonly labels: readonly string[]; readonly value: V }[] {
    return this.all;
  }
}

function step(level: Level, key: string): Level {
  let next = level.get(key) as Level | undefined;
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}

/**
 * Cumulative counts per label set, recorded once and read by every backend when it collects (OTel
 * observable counters, prom-client's collect hook): one recording feeds both.
 */
export class Counts {
  private readonly series: SeriesMap<{ n: number }>;

  constructor(depth: 1 | 2 | 3 | 4) {
    this.series = new SeriesMap(depth, () => ({ n: 0 }));
  }

  add(n: number, a: string, b?: string, c?: string, d?: string): void {
    this.series.get(a, b, c, d).n += n;
  }

  each(visit: (labels: readonly string[], count: number) => void): void {
    for (const { labels, value } of this.series.entries()) visit(labels, value.n);
  }
}
