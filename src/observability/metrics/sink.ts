/**
 * The metric set rea reports, whatever the backend (Prometheus, OpenTelemetry). One method per
 * fact; each backend names the series its own way (`mcp.server.operation.duration` in OTel,
 * `mcp_server_operation_duration_seconds` in Prometheus).
 */

/** One governed request, per the OTel MCP semantic conventions. */
export interface OperationSample {
  readonly method: string;
  readonly server: string;
  readonly tool?: string;
  readonly errorType?: string;
  readonly seconds: number;
}

export type CircuitState = 'closed' | 'half-open' | 'open';

export interface MetricsSink {
  operation(sample: OperationSample): void;
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

/** Sends every fact to each sink. */
export function fanOut(sinks: readonly MetricsSink[]): MetricsSink {
  return {
    operation: (s) => sinks.forEach((k) => k.operation(s)),
    call: (server, tool, tier, status) => sinks.forEach((k) => k.call(server, tool, tier, status)),
    denial: (code) => sinks.forEach((k) => k.denial(code)),
    auditAppended: (n, s) => sinks.forEach((k) => k.auditAppended(n, s)),
    auditFailure: () => sinks.forEach((k) => k.auditFailure()),
    restart: (server) => sinks.forEach((k) => k.restart(server)),
    circuit: (server, state) => sinks.forEach((k) => k.circuit(server, state)),
    injection: (surface, verdict) => sinks.forEach((k) => k.injection(surface, verdict)),
    redactions: (server, n) => sinks.forEach((k) => k.redactions(server, n)),
  };
}
