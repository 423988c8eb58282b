/**
 * The metric set as OpenTelemetry metrics, exported over OTLP by the SDK's periodic reader. What
 * every request feeds (the duration histogram, the record counts) is read from the shared tallies
 * at each export: the histogram through a metric producer, the counts through observable counters.
 * `mcp.server.operation.duration` follows the MCP semantic conventions (seconds, advisory buckets).
 */
import { ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type DataPoint, type Histogram, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { VERSION } from '../../version.js';
import { DURATION_BUCKETS, type OperationDurations } from './durations.js';
import { CIRCUIT_LEVEL, type MetricsBackend, type MetricTallies } from './sink.js';

export function otelBackend(meter: Meter, tallies: MetricTallies): MetricsBackend {
  meter
    .createObservableCounter('rea.calls', { description: 'Governed requests by server, tool, tier and status' })
    .addCallback((out) => tallies.calls.each(([server, tool, tier, status], n) => out.observe(n, { 'rea.server': server, 'gen_ai.tool.name': tool, 'rea.tier': tier, 'rea.status': status })));
  meter
    .createObservableCounter('rea.denials', { description: 'Denied requests by deny code' })
    .addCallback((out) => tallies.denials.each(([code], n) => out.observe(n, { 'rea.deny_code': code })));
  meter
    .createObservableCounter('rea.injection.verdicts', { description: 'Injection classifier verdicts' })
    .addCallback((out) => tallies.injections.each(([surface, verdict], n) => out.observe(n, { 'rea.surface': surface, 'rea.verdict': verdict })));
  meter
    .createObservableCounter('rea.redactions', { description: 'Values redacted' })
    .addCallback((out) => tallies.redactions.each(([server], n) => out.observe(n, { 'rea.server': server })));
  const appends = meter.createCounter('rea.audit.appends', { description: 'Audit records written' });
  const failures = meter.createCounter('rea.audit.append_failures', { description: 'Audit writes that failed' });
  const writes = meter.createHistogram('rea.audit.write.duration', { unit: 's', description: 'Audit batch write time, fdatasync included when durable' });
  const restarts = meter.createCounter('rea.downstream.restarts', { description: 'Downstream restarts' });
  const circuit = meter.createGauge('rea.circuit.state', { description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open' });
  return {
    auditAppended: (n, seconds) => {
      appends.add(n);
      writes.record(seconds);
    },
    auditFailure: () => failures.add(1),
    restart: (server) => restarts.add(1, { 'rea.server': server }),
    circuit: (server, state) => circuit.record(CIRCUIT_LEVEL[state], { 'rea.server': server }),
  };
}

/**
 * `mcp.server.operation.duration` for the metric reader (`metricProducers`), cumulative: the
 * reader adds it to what the meter collected, under the same resource.
 */
export function durationProducer(durations: OperationDurations): MetricProducer {
  return {
    async collect() {
      const now = millisToHrTime(Date.now());
      const dataPoints: DataPoint<Histogram>[] = [];
      durations.each(([method, server, tool, errorType], s) => {
        const attributes: Attributes = { 'mcp.method.name': method, 'rea.server': server };
        if (tool !== '') attributes['gen_ai.tool.name'] = tool;
        if (errorType !== '') attributes['error.type'] = errorType;
        dataPoints.push({
          attributes,
          startTime: millisToHrTime(s.since),
          endTime: now,
          value: { buckets: { boundaries: [...DURATION_BUCKETS], counts: [...s.counts] }, sum: s.sum, count: s.count, min: s.min, max: s.max },
        });
      });
      const metrics =
        dataPoints.length === 0
          ? []
          : [
              {
                descriptor: { name: 'mcp.server.operation.duration', description: 'Duration of MCP requests handled by rea', unit: 's', valueType: ValueType.DOUBLE },
                aggregationTemporality: AggregationTemporality.CUMULATIVE,
                dataPointType: DataPointType.HISTOGRAM as const,
                dataPoints,
              },
            ];
      return { resourceMetrics: { resource: emptyResource(), scopeMetrics: metrics.length === 0 ? [] : [{ scope: { name: 'rea', version: VERSION }, metrics }] }, errors: [] };
    },
  };
}
