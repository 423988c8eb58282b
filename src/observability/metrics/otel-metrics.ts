/**
 * The metric set as OpenTelemetry instruments, exported over OTLP by the SDK's periodic reader.
 * `mcp.server.operation.duration` follows the MCP semantic conventions (seconds, advisory buckets).
 */
import type { Meter } from '@opentelemetry/api';
import { CIRCUIT_LEVEL, type MetricsSink } from './sink.js';

const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export function otelSink(meter: Meter): MetricsSink {
  const duration = meter.createHistogram('mcp.server.operation.duration', {
    unit: 's',
    description: 'Duration of MCP requests handled by rea',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const calls = meter.createCounter('rea.calls', { description: 'Governed requests by server, tool, tier and status' });
  const denials = meter.createCounter('rea.denials', { description: 'Denied requests by deny code' });
  const appends = meter.createCounter('rea.audit.appends', { description: 'Audit records written' });
  const failures = meter.createCounter('rea.audit.append_failures', { description: 'Audit writes that failed' });
  const writes = meter.createHistogram('rea.audit.write.duration', { unit: 's', description: 'Audit batch write time, fdatasync included when durable' });
  const restarts = meter.createCounter('rea.downstream.restarts', { description: 'Downstream restarts' });
  const circuit = meter.createGauge('rea.circuit.state', { description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open' });
  const injections = meter.createCounter('rea.injection.verdicts', { description: 'Injection classifier verdicts' });
  const redactions = meter.createCounter('rea.redactions', { description: 'Values redacted' });
  return {
    operation: (s) =>
      duration.record(s.seconds, {
        'mcp.method.name': s.method,
        'rea.server': s.server,
        ...(s.tool === undefined ? {} : { 'gen_ai.tool.name': s.tool }),
        ...(s.errorType === undefined ? {} : { 'error.type': s.errorType }),
      }),
    call: (server, tool, tier, status) => calls.add(1, { 'rea.server': server, 'gen_ai.tool.name': tool, 'rea.tier': tier, 'rea.status': status }),
    denial: (code) => denials.add(1, { 'rea.deny_code': code }),
    auditAppended: (n, seconds) => {
      appends.add(n);
      writes.record(seconds);
    },
    auditFailure: () => failures.add(1),
    restart: (server) => restarts.add(1, { 'rea.server': server }),
    circuit: (server, state) => circuit.record(CIRCUIT_LEVEL[state], { 'rea.server': server }),
    injection: (surface, verdict) => injections.add(1, { 'rea.surface': surface, 'rea.verdict': verdict }),
    redactions: (server, n) => redactions.add(n, { 'rea.server': server }),
  };
}
