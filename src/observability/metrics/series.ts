/**
 * Per-series state keyed by up to four label values, found without building a key or an array: one
 * Map per label, so a hot-path lookup of a series seen before allocates nothing (telemetry's CPU
 * budget, issue 13). A map is always used with the same number of labels.
 *
 * Bounded like the OTel SDK's own storage: past `SERIES_LIMIT` label sets, new ones all count under
 * one overflow series whose every label is `OVERFLOW`, so odd names cannot grow memory without end.
 */
type Level = Map<string, unknown>;

export const SERIES_LIMIT = 2000;
export const OVERFLOW = 'otel.metric.overflow';

export class SeriesMap<V> {
  private readonly root: Level = new Map();
  private readonly all: { readonly labels: readonly string[]; readonly value: V }[] = [];
  private overflow: V | undefined;

  constructor(
    private readonly depth: 1 | 2 | 3 | 4,
    private readonly create: (labels: readonly string[]) => V,
    private readonly limit = SERIES_LIMIT,
  ) {}

  /** The series for these label values, created on first use. */
  get(a: string, b = '', c = '', d = ''): V {
    const found = this.find(a, b, c, d);
    if (found !== undefined) return found;
    if (this.all.length >= this.limit) return this.overflowSeries();
    const labels = [a, b, c, d].slice(0, this.depth);
    const value = this.create(labels);
    let level = this.root;
    for (const key of labels.slice(0, -1)) {
      let next = level.get(key) as Level | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    level.set(labels[labels.length - 1] as string, value);
    this.all.push({ labels, value });
    return value;
  }

  /** Every series so far, oldest first, for a backend's collection. */
  entries(): readonly { readonly labels: readonly string[]; readonly value: V }[] {
    return this.all;
  }

  private find(a: string, b: string, c: string, d: string): V | undefined {
    let level: Level | undefined = this.root;
    if (this.depth > 1) level = level.get(a) as Level | undefined;
    if (this.depth > 2) level = level?.get(b) as Level | undefined;
    if (this.depth > 3) level = level?.get(c) as Level | undefined;
    return level?.get(this.depth === 1 ? a : this.depth === 2 ? b : this.depth === 3 ? c : d) as V | undefined;
  }

  private overflowSeries(): V {
    if (this.overflow === undefined) {
      const labels = new Array<string>(this.depth).fill(OVERFLOW);
      this.overflow = this.create(labels);
      this.all.push({ labels, value: this.overflow });
    }
    return this.overflow;
  }
}

/**
 * Cumulative counts per label set, recorded once and read by every backend when it collects (OTel
 * observable counters, prom-client's collect hook): one recording feeds both.
 */
export class Counts {
  private readonly series: SeriesMap<{ n: number }>;

  constructor(depth: 1 | 2 | 3 | 4, limit?: number) {
    this.series = new SeriesMap(depth, () => ({ n: 0 }), limit);
  }

  add(n: number, a: string, b?: string, c?: string, d?: string): void {
    this.series.get(a, b, c, d).n += n;
  }

  each(visit: (labels: readonly string[], count: number) => void): void {
    for (const { labels, value } of this.series.entries()) visit(labels, value.n);
  }
}
