import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildRecord, GENESIS_HASH } from '../../../src/audit/index.js';
import type { AuditInput } from '../../../src/audit/index.js';
import { auditMetrics } from '../../../src/observability/metrics/record-metrics.js';
import { prometheusBackend } from '../../../src/observability/metrics/prometheus.js';
import { metricsSink, metricTallies } from '../../../src/observability/metrics/sink.js';

const record = (input: AuditInput, seq = 0) => buildRecord(input, GENESIS_HASH, seq, 's').record;

describe('metrics read off audit records (issue 13)', () => {
  it('counts calls, denials, redactions, injection verdicts, restarts, circuit state, appends and failures', async () => {
    const registry = new Registry();
    const counts = metricTallies();
    const observer = auditMetrics(metricsSink(counts, [prometheusBackend(registry, counts)]));
    observer.appended(
      [
        record({ tool_name: 'read_file', server_name: 'fs', phase: 'outcome', status: 'allowed', redacted_fields: ['content:aws_key', 'content:github_token'], metadata: { injection: { surface: 'result', verdict: 'suspicious' } } }),
        record({ tool_name: 'write_file', server_name: 'fs', phase: 'intent', tier: 'write' }),
        record({ tool_name: 'write_file', server_name: 'fs', phase: 'outcome', tier: 'write', status: 'denied', deny_code: 'blocked_path', metadata: { injection_arguments: { verdict: 'likely_injection' } } }),
        record({ tool_name: 'rea.downstream.restart', server_name: 'rea', phase: 'event', metadata: { server: 'fs', attempt: 1 } }),
        record({ tool_name: 'rea.circuit', server_name: 'rea', phase: 'event', metadata: { server: 'fs', from: 'closed', to: 'open' } }),
      ],
      0.4,
    );
    observer.failed('disk full');
    const text = await registry.metrics();
    expect(text).toContain('rea_calls_total{server="fs",tool="read_file",tier="read",status="allowed"} 1');
    expect(text).toContain('rea_calls_total{server="fs",tool="write_file",tier="write",status="denied"} 1');
    expect(text).not.toContain('status="allowed"} 2');
    expect(text).toContain('rea_denials_total{code="blocked_path"} 1');
    expect(text).toContain('rea_redactions_total{server="fs"} 2');
    expect(text).toContain('rea_injection_verdicts_total{surface="result",verdict="suspicious"} 1');
    expect(text).toContain('rea_injection_verdicts_total{surface="arguments",verdict="likely_injection"} 1');
    expect(text).toContain('rea_downstream_restarts_total{server="fs"} 1');
    expect(text).toContain('rea_circuit_state{server="fs"} 2');
    expect(text).toContain('rea_audit_appends_total 5');
    expect(text).toContain('rea_audit_append_failures_total 1');
    expect(text).toContain('rea_audit_write_duration_seconds_bucket{le="0.0005"} 1');
  });
});
