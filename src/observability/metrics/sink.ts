/**
 * The metric set rea reports, whatever the backend (Prometheus, OpenTelemetry). One method per
 * fact; each backend names the series its own way (`mcp.server.operation.duration` in OTel,
 * `mcp_server_operation_duration_seconds` in Prometheus).
 */
import { OperationDurations } from './durations.js';
import { Counts } from './series.js';

export type CircuitState = 'closed' | 'half-open' | 'open';

export interface MetricsSink {
  /** One governed request, per the OTel MCP semantic conventions; `tool` for tools only. */
  operation(method: string, server: string, tool: string | undefined, errorType: string | undefined, seconds: number): void;
  call(server: string, tool: string, tier: string, status: string): void;
  denial(code: string): void;
  auditAppended(records: number, writeSeconds: number): void;
  auditFailure(): void;
  restart(server: string): void;
  circuit(server: string, state: CircuitState): void;
  injection(surface: string, verdict: string): void;
  redactions(server: string, count: number): void;
}

/** Numeric circuit state for gauges: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_LEVEL: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * What a request and its record feed, kept once for all backends: each backend reads it when it
 * collects, so a call costs a few increments however many backends are on.
 */
export interface MetricTallies {
  /** method, server, tool, error type */
  readonly durations: OperationDurations;
  /** server, tool, tier, status */
  readonly calls: Counts;
  /** deny code */
  readonly denials: Counts;
  /** server */
  readonly redactions: Counts;
  /** surface, verdict */
  readonly injections: Counts;
}

export function metricTallies(): MetricTallies {
  return { durations: new OperationDurations(), calls: new Counts(4), denials: new Counts(1), redactions: new Counts(1), injections: new Counts(2) };
}

/** What a backend records itself; the rest it reads from `MetricTallies`. */
export type MetricsBackend = Pick<MetricsSink, 'auditAppended' | 'auditFailure' | 'restart' | 'circuit'>;

/** The one sink the gateway records into: tallies kept once, every other fact sent to each backend. */
export function metricsSink(counts: MetricTallies, backends: readonly MetricsBackend[]): MetricsSink {
  return {
    operation: (method, server, tool, errorType, seconds) => counts.durations.record(method, server, tool, errorType, seconds),
    call: (server, tool, tier, status) => counts.calls.add(1, server, tool, tier, status),
    denial: (code) => counts.denials.add(1, code),
    auditAppended(n, seconds) {
      for (const b of backends) b.auditAppended(n, seconds);
    },
    auditFailure() {
      for (const b of backends) b.auditFailure();
    },
    restart(server) {
      for (const b of backends) b.restart(server);
    },
    circuit(server, state) {
      for (const b of backends) b.circuit(server, state);
    },
    injection: (surface, verdict) => counts.injections.add(1, surface, verdict),
    redactions: (server, n) => counts.redactions.add(n, server),
  };
}
