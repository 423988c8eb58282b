/**
 * The metric set as OpenTelemetry instruments, exported over OTLP by the SDK's periodic reader.
 * `mcp.server.operation.duration` follows the MCP semantic conventions (seconds, advisory buckets).
 */
import type { Attributes, Meter } from '@opentelemetry/api';
import { SeriesMap } from './series.js';
import { CIRCUIT_LEVEL, type MetricsBackend, type RecordCounts } from './sink.js';

const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** Record counts are observable counters read from `counts` at each export; the rest is recorded as it happens. */
export function otelBackend(meter: Meter, counts: RecordCounts): MetricsBackend {
  const duration = meter.createHistogram('mcp.server.operation.duration', {
    unit: 's',
    description: 'Duration of MCP requests handled by rea',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  meter
    .createObservableCounter('rea.calls', { description: 'Governed requests by server, tool, tier and status' })
    .addCallback((out) => counts.calls.each(([server, tool, tier, status], n) => out.observe(n, { 'rea.server': server, 'gen_ai.tool.name': tool, 'rea.tier': tier, 'rea.status': status })));
  meter
    .createObservableCounter('rea.denials', { description: 'Denied requests by deny code' })
    .addCallback((out) => counts.denials.each(([code], n) => out.observe(n, { 'rea.deny_code': code })));
  const appends = meter.createCounter('rea.audit.appends', { description: 'Audit records written' });
  const failures = meter.createCounter('rea.audit.append_failures', { description: 'Audit writes that failed' });
  const writes = meter.createHistogram('rea.audit.write.duration', { unit: 's', description: 'Audit batch write time, fdatasync included when durable' });
  const restarts = meter.createCounter('rea.downstream.restarts', { description: 'Downstream restarts' });
  const circuit = meter.createGauge('rea.circuit.state', { description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open' });
  meter
    .createObservableCounter('rea.injection.verdicts', { description: 'Injection classifier verdicts' })
    .addCallback((out) => counts.injections.each(([surface, verdict], n) => out.observe(n, { 'rea.surface': surface, 'rea.verdict': verdict })));
  meter
    .createObservableCounter('rea.redactions', { description: 'Values redacted' })
    .addCallback((out) => counts.redactions.each(([server], n) => out.observe(n, { 'rea.server': server })));
  // One attribute object per series, built once: a request allocates none.
  const operations = new SeriesMap<Attributes>(4, ([method, server, tool, errorType]) => ({
    'mcp.method.name': method,
    'rea.server': server,
    ...(tool === '' ? {} : { 'gen_ai.tool.name': tool }),
    ...(errorType === '' ? {} : { 'error.type': errorType }),
  }));
  return {
    operation: (method, server, tool, errorType, seconds) => duration.record(seconds, operations.get(method, server, tool, errorType)),
    auditAppended: (n, seconds) => {
      appends.add(n);
      writes.record(seconds);
    },
    auditFailure: () => failures.add(1),
    restart: (server) => restarts.add(1, { 'rea.server': server }),
    circuit: (server, state) => circuit.record(CIRCUIT_LEVEL[state], { 'rea.server': server }),
  };
}
