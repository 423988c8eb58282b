// Small statistics helpers shared by the benchmarks.
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), n: sorted.length };
}

export function median(values) {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const fmt = (n, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
