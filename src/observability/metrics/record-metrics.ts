/**
 * Metrics read off audit records: calls, denials, redactions, injection verdicts, restarts and
 * circuit changes are all facts the chain already writes down, so counting records (as the writer
 * hands them over, or as the shipper reads the hooks' records) keeps one source of truth.
 */
import type { AuditObserver } from '../../audit/log-options.js';
import type { AuditRecord } from '../../audit/record.js';
import type { CircuitState, MetricsSink } from './sink.js';

const CIRCUIT_STATES: ReadonlySet<string> = new Set(['closed', 'half-open', 'open']);
const VERDICT_KEYS = ['injection_arguments', 'injection'] as const;
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** The writer's observer: every batch written, every failure. */
export function auditMetrics(sink: MetricsSink): AuditObserver {
  return {
    appended(records, writeMs) {
      sink.auditAppended(records.length, writeMs / 1000);
      for (const record of records) countRecord(sink, record);
    },
    failed() {
      sink.auditFailure();
    },
  };
}

export function countRecord(sink: MetricsSink, record: AuditRecord): void {
  const meta = record.metadata ?? NO_METADATA;
  if (record.phase === 'event' || record.server_name === 'rea') {
    const server = typeof meta['server'] === 'string' ? meta['server'] : undefined;
    if (server === undefined) return;
    if (record.tool_name === 'rea.downstream.restart') sink.restart(server);
    else if (record.tool_name === 'rea.circuit' && typeof meta['to'] === 'string' && CIRCUIT_STATES.has(meta['to'])) {
      sink.circuit(server, meta['to'] as CircuitState);
    }
    return;
  }
  if (record.phase === 'intent') return;
  sink.call(record.server_name, record.tool_name, record.tier, record.status);
  if (record.status === 'denied') sink.denial(record.deny_code ?? 'unknown');
  if (record.redacted_fields !== undefined && record.redacted_fields.length > 0) sink.redactions(record.server_name, record.redacted_fields.length);
  for (const key of VERDICT_KEYS) {
    const verdict = meta[key] as { verdict?: unknown; surface?: unknown } | undefined;
    if (typeof verdict?.verdict === 'string') {
      sink.injection(typeof verdict.surface === 'string' ? verdict.surface : 'arguments', verdict.verdict);
    }
  }
}
