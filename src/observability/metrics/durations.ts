/**
 * `mcp.server.operation.duration` kept once for every backend: one cumulative explicit-bucket
 * histogram per series (method, server, tool, error type). A request costs a series lookup and a
 * few increments; OpenTelemetry (a metric producer) and Prometheus (the histogram's collection)
 * read it when they export (issue 13's CPU budget: one recording feeds both).
 */
import { SeriesMap } from './series.js';

/** Seconds; the OTel MCP conventions' advisory buckets for operation duration. */
export const DURATION_BUCKETS: readonly number[] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export interface DurationSeries {
  /** One count per bucket, upper bounds inclusive, then the overflow bucket: not cumulative. */
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
  /** When the series was first recorded (epoch ms): the start of its cumulative window. */
  readonly since: number;
}

export class OperationDurations {
  private readonly series = new SeriesMap<DurationSeries>(4, () => ({
    counts: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
    sum: 0,
    count: 0,
    min: Infinity,
    max: -Infinity,
    since: Date.now(),
  }));

  /** `tool` for tools only, `errorType` only when the request failed. */
  record(method: string, server: string, tool: string | undefined, errorType: string | undefined, seconds: number): void {
    const s = this.series.get(method, server, tool, errorType);
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > (DURATION_BUCKETS[bucket] as number)) bucket += 1;
    s.counts[bucket] = (s.counts[bucket] as number) + 1;
    s.sum += seconds;
    s.count += 1;
    if (seconds < s.min) s.min = seconds;
    if (seconds > s.max) s.max = seconds;
  }

  /** Labels are method, server, tool ('' when none), error type ('' when none). */
  each(visit: (labels: readonly string[], series: Readonly<DurationSeries>) => void): void {
    for (const { labels, value } of this.series.entries()) visit(labels, value);
  }
}
