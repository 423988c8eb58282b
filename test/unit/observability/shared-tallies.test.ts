import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { durationProducer, otelBackend } from '../../../src/observability/metrics/otel-metrics.js';
import { prometheusBackend } from '../../../src/observability/metrics/prometheus.js';
import { Counts, OVERFLOW } from '../../../src/observability/metrics/series.js';
import { metricsSink, metricTallies } from '../../../src/observability/metrics/sink.js';
import { traceMeta } from '../../../src/observability/telemetry/trace-meta.js';

/** Both backends over one set of tallies, as `rea serve` starts them. */
function backends() {
  const tallies = metricTallies();
  const registry = new Registry();
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000, metricProducers: [durationProducer(tallies.durations)] });
  const provider = new MeterProvider({ readers: [reader] });
  const sink = metricsSink(tallies, [otelBackend(provider.getMeter('test'), tallies), prometheusBackend(registry, tallies)]);
  return { sink, registry, reader, provider };
}

let open: MeterProvider | undefined;
afterEach(async () => {
  await open?.shutdown();
  open = undefined;
});

describe('one recording feeds OpenTelemetry and Prometheus (issue 13)', () => {
  it('exports the same operation durations and call counts from both backends, with inclusive bucket bounds', async () => {
    const { sink, registry, reader, provider } = backends();
    open = provider;
    sink.operation('tools/call', 'fs', 'fs__read', undefined, 0.004);
    sink.operation('tools/call', 'fs', 'fs__read', undefined, 0.01); // on a bound: counted in that bucket
    sink.operation('tools/call', 'fs', 'fs__read', undefined, 400); // beyond the last bound
    sink.operation('tools/call', 'fs', 'fs__read', 'tool_error', 0.3);
    sink.operation('resources/read', 'fs', undefined, undefined, 0.05);
    sink.call('fs', 'read', 'read', 'allowed');
    sink.call('fs', 'read', 'read', 'allowed');

    const text = await registry.metrics();
    const series = 'mcp_method_name="tools/call",gen_ai_tool_name="fs__read",error_type="",rea_server="fs"';
    expect(text).toContain(`mcp_server_operation_duration_seconds_bucket{${series},le="0.01"} 2`);
    expect(text).toContain(`mcp_server_operation_duration_seconds_bucket{${series},le="300"} 2`);
    expect(text).toContain(`mcp_server_operation_duration_seconds_bucket{${series},le="+Inf"} 3`);
    expect(text).toContain(`mcp_server_operation_duration_seconds_sum{${series}} 400.014`);
    expect(text).toContain(`mcp_server_operation_duration_seconds_count{${series}} 3`);
    expect(text).toContain('mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="fs__read",error_type="tool_error",rea_server="fs"} 1');
    expect(text).toContain('mcp_server_operation_duration_seconds_count{mcp_method_name="resources/read",gen_ai_tool_name="",error_type="",rea_server="fs"} 1');
    expect(text).toContain('rea_calls_total{server="fs",tool="read",tier="read",status="allowed"} 2');

    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const duration = metrics.find((m) => m.descriptor.name === 'mcp.server.operation.duration') as HistogramMetricData;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.descriptor.unit).toBe('s');
    const ok = duration.dataPoints.find((p) => p.attributes['gen_ai.tool.name'] === 'fs__read' && p.attributes['error.type'] === undefined);
    expect(ok?.attributes).toEqual({ 'mcp.method.name': 'tools/call', 'rea.server': 'fs', 'gen_ai.tool.name': 'fs__read' });
    expect(ok?.value.count).toBe(3);
    expect(ok?.value.buckets.counts[0]).toBe(2);
    expect(ok?.value.buckets.counts.at(-1)).toBe(1);
    expect(ok?.value.buckets.boundaries).toHaveLength(ok!.value.buckets.counts.length - 1);
    expect(ok?.value.min).toBe(0.004);
    expect(ok?.value.max).toBe(400);
    const resource = duration.dataPoints.find((p) => p.attributes['mcp.method.name'] === 'resources/read');
    expect(resource?.attributes).toEqual({ 'mcp.method.name': 'resources/read', 'rea.server': 'fs' });
    const calls = metrics.find((m) => m.descriptor.name === 'rea.calls') as SumMetricData;
    expect(calls.isMonotonic).toBe(true);
    expect(calls.dataPoints).toEqual([expect.objectContaining({ value: 2, attributes: { 'rea.server': 'fs', 'gen_ai.tool.name': 'read', 'rea.tier': 'read', 'rea.status': 'allowed' } })]);
  });

  it('exports nothing for the duration before the first request', async () => {
    const { registry, reader, provider } = backends();
    open = provider;
    expect(await registry.metrics()).not.toContain('mcp_server_operation_duration_seconds_count');
    const { resourceMetrics } = await reader.collect();
    expect(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => m.descriptor.name)).not.toContain('mcp.server.operation.duration');
  });
});

describe('trace context handed to a downstream (issue 13)', () => {
  const propagator = new W3CTraceContextPropagator();
  const injected = (spanContext: Parameters<typeof trace.setSpanContext>[1]) => {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, { set: (c, k, v) => void (c[k] = v) });
    return carrier;
  };

  it('is what the SDK propagator writes, sampled or not, with or without tracestate', () => {
    const ids = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    for (const spanContext of [
      { ...ids, traceFlags: TraceFlags.SAMPLED },
      { ...ids, traceFlags: TraceFlags.NONE },
      { ...ids, traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE') },
    ]) {
      expect(traceMeta(spanContext)).toEqual(injected(spanContext));
    }
  });
});

describe('metric series are bounded (issue 13)', () => {
  it('counts label sets past the limit under one overflow series, and keeps counting the known ones', () => {
    const counts = new Counts(2, 3);
    for (const tool of ['a', 'b', 'c', 'd', 'e']) counts.add(1, 'fs', tool);
    counts.add(5, 'fs', 'a');
    counts.add(1, 'other', 'z');
    const seen: [readonly string[], number][] = [];
    counts.each((labels, n) => seen.push([labels, n]));
    expect(seen).toEqual([
      [['fs', 'a'], 6],
      [['fs', 'b'], 1],
      [['fs', 'c'], 1],
      [[OVERFLOW, OVERFLOW], 3],
    ]);
  });
});
