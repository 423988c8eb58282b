/**
 * The opt-in Prometheus endpoint (issue 13): prom-client's exposition on a loopback listener,
 * `GET /metrics`. Loaded only when `telemetry.prometheus.listen` is set.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, type MetricType, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';
import { ReaError, errorMessage } from '../../errors.js';
import { DURATION_BUCKETS, type OperationDurations } from './durations.js';
import { CIRCUIT_LEVEL, type MetricsBackend, type MetricTallies } from './sink.js';

const WRITE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

/** What every request feeds is read from `tallies` at each scrape; the rest is recorded as it happens. */
export function prometheusBackend(registry: Registry, tallies: MetricTallies): MetricsBackend {
  const registers = [registry];
  new DurationHistogram(tallies.durations, registers);
  new Counter({
    name: 'rea_calls_total',
    help: 'Governed requests by server, tool, tier and status',
    labelNames: ['server', 'tool', 'tier', 'status'],
    registers,
    collect() {
      this.reset();
      tallies.calls.each(([server, tool, tier, status], n) => this.inc({ server, tool, tier, status }, n));
    },
  });
  new Counter({
    name: 'rea_denials_total',
    help: 'Denied requests by deny code',
    labelNames: ['code'],
    registers,
    collect() {
      this.reset();
      tallies.denials.each(([code], n) => this.inc({ code }, n));
    },
  });
  const appends = new Counter({ name: 'rea_audit_appends_total', help: 'Audit records written', registers });
  const failures = new Counter({ name: 'rea_audit_append_failures_total', help: 'Audit writes that failed', registers });
  const writes = new Histogram({ name: 'rea_audit_write_duration_seconds', help: 'Audit batch write time, fdatasync included when durable', buckets: WRITE_BUCKETS, registers });
  const restarts = new Counter({ name: 'rea_downstream_restarts_total', help: 'Downstream restarts', labelNames: ['server'], registers });
  const circuit = new Gauge({ name: 'rea_circuit_state', help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open', labelNames: ['server'], registers });
  new Counter({
    name: 'rea_injection_verdicts_total',
    help: 'Injection classifier verdicts',
    labelNames: ['surface', 'verdict'],
    registers,
    collect() {
      this.reset();
      tallies.injections.each(([surface, verdict], n) => this.inc({ surface, verdict }, n));
    },
  });
  new Counter({
    name: 'rea_redactions_total',
    help: 'Values redacted',
    labelNames: ['server'],
    registers,
    collect() {
      this.reset();
      tallies.redactions.each(([server], n) => this.inc({ server }, n));
    },
  });
  return {
    auditAppended: (n, seconds) => {
      appends.inc(n);
      writes.observe(seconds);
    },
    auditFailure: () => failures.inc(),
    restart: (server) => restarts.inc({ server }),
    circuit: (server, state) => circuit.set({ server }, CIRCUIT_LEVEL[state]),
  };
}

const DURATION_NAME = 'mcp_server_operation_duration_seconds';
const DURATION_HELP = 'Duration of MCP requests handled by rea (OTel MCP semantic conventions)';
/** prom-client types the metric type as an enum it does not export at run time; the value is this string. */
const HISTOGRAM = 'histogram' as unknown as MetricType;

/** prom-client's histogram with its series read from the shared durations rather than observed. */
class DurationHistogram extends Histogram {
  constructor(
    private readonly durations: OperationDurations,
    registers: Registry[],
  ) {
    super({
      name: DURATION_NAME,
      help: DURATION_HELP,
      labelNames: ['mcp_method_name', 'gen_ai_tool_name', 'error_type', 'rea_server'],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    this.durations.each(([mcp_method_name, rea_server, gen_ai_tool_name, error_type], s) => {
      const labels = { mcp_method_name, gen_ai_tool_name, error_type, rea_server };
      let below = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        below += s.counts[i] as number;
        values.push({ metricName: `${DURATION_NAME}_bucket`, labels: { ...labels, le }, value: below });
      });
      values.push({ metricName: `${DURATION_NAME}_bucket`, labels: { ...labels, le: '+Inf' }, value: s.count });
      values.push({ metricName: `${DURATION_NAME}_sum`, labels, value: s.sum });
      values.push({ metricName: `${DURATION_NAME}_count`, labels, value: s.count });
    });
    return { name: DURATION_NAME, help: DURATION_HELP, type: HISTOGRAM, aggregator: 'sum', collect: () => undefined, values };
  }

  /** The registry formats text from this when a metric has it; the base's reads its own (empty) observations. */
  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    return this.get();
  }
}

export interface PrometheusEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `registry` at `http://<listen>/metrics`; rejects with a clear error when it cannot bind. */
export async function servePrometheus(registry: Registry, listen: string): Promise<PrometheusEndpoint> {
  const { host, port } = splitListen(listen);
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('rea serves /metrics only\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${errorMessage(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code ?? errorMessage(error)})`;
      reject(new ReaError('CONFIG_INVALID', `telemetry.prometheus.listen: ${listen} ${why}; pick another port, or port 0 for any free one`, { cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
  // Metrics must never keep a stopping gateway alive.
  server.unref();
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function splitListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  const host = listen.slice(0, at).replace(/^\[|\]$/g, '');
  return { host, port: Number(listen.slice(at + 1)) };
}
