/**
 * Starts what `settings` asks for: traces, OTLP metrics, the audit shipper, Prometheus. This module
 * and the SDK behind it are loaded only when telemetry is configured (`rea serve` imports it
 * dynamically), so a gateway without telemetry never pays for them. A part that cannot start is
 * reported (log, `rea status`) and the rest runs; the gateway serves either way.
 */
import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Registry } from 'prom-client';
import type { AuditObserver } from '../../audit/log-options.js';
import type { RequestObserver } from '../../chain/types.js';
import { AuditShipper } from '../../audit/shipper/shipper.js';
import { errorMessage } from '../../errors.js';
import { VERSION } from '../../version.js';
import { createLogger } from '../logger.js';
import { auditMetrics } from '../metrics/record-metrics.js';
import { durationProducer, otelBackend } from '../metrics/otel-metrics.js';
import { prometheusBackend, servePrometheus, type PrometheusEndpoint } from '../metrics/prometheus.js';
import { metricsSink, metricTallies, type MetricsBackend } from '../metrics/sink.js';
import { ExportHealth, tracked } from './export-health.js';
import { logExporter, metricExporter, spanExporter } from './exporters.js';
import { nativeCalls } from './native-calls.js';
import { requestTelemetry } from './request-telemetry.js';
import { followParent } from './sampler.js';
import { PooledIdGenerator } from './id-generator.js';
import type { TelemetrySettings } from './settings.js';

const log = createLogger('telemetry');
/** Spans leave in batches at least this often (the SDK's default is 5 s). */
const SPAN_EXPORT_DELAY_MS = 1000;

export interface Telemetry {
  /** For the audit stage: spans and the duration histogram. */
  readonly requests: RequestObserver | undefined;
  /** For the audit writer: record-derived metrics, and a nudge to the shipper. */
  readonly audit: AuditObserver;
  /** `telemetry` in `rea status --json`. */
  status(): Record<string, unknown>;
  shutdown(): Promise<void>;
}

export interface TelemetryDeps {
  readonly auditPath: string;
  readonly reaDir: string;
  /** Configuration problems found before start (bad URL, wrong protocol), shown in status. */
  readonly problems: readonly string[];
}

export function telemetryResource(settings: TelemetrySettings): Resource {
  return resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': VERSION, ...settings.resourceAttributes });
}

export async function startTelemetry(settings: TelemetrySettings, deps: TelemetryDeps): Promise<Telemetry> {
  const resource = telemetryResource(settings);
  const tallies = metricTallies();
  const backends: MetricsBackend[] = [];
  const problems = [...deps.problems];
  let prometheus: PrometheusEndpoint | undefined;
  let prometheusError: string | undefined;
  if (settings.prometheusListen !== undefined) {
    const registry = new Registry();
    backends.push(prometheusBackend(registry, tallies));
    try {
      prometheus = await servePrometheus(registry, settings.prometheusListen);
      log.info('Prometheus metrics listening', { url: prometheus.url });
    } catch (error) {
      prometheusError = errorMessage(error);
      log.error(prometheusError);
    }
  }
  let meterProvider: MeterProvider | undefined;
  const metricsHealth = settings.metricsUrl === undefined ? undefined : new ExportHealth(settings.metricsUrl);
  if (settings.metricsUrl !== undefined && metricsHealth !== undefined) {
    const exporter = tracked(await metricExporter(settings.protocol, settings.metricsUrl), metricsHealth);
    meterProvider = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: settings.metricIntervalMs, exportTimeoutMillis: Math.min(settings.metricIntervalMs, 30_000), metricProducers: [durationProducer(tallies.durations)] })] });
    backends.push(otelBackend(meterProvider.getMeter('rea', VERSION), tallies));
  }
  let tracerProvider: TracerProvider | undefined;
  let tracer: Tracer | undefined;
  const tracesHealth = settings.tracesUrl === undefined ? undefined : new ExportHealth(settings.tracesUrl);
  if (settings.tracesUrl !== undefined && tracesHealth !== undefined) {
    const exporter = tracked(await spanExporter(settings.protocol, settings.tracesUrl), tracesHealth);
    // The batch processor's queue is the bound: when export falls behind, spans beyond it are dropped (counted by the SDK), never buffered without limit.
    tracerProvider = new TracerProvider({ resource, sampler: followParent, idGenerator: new PooledIdGenerator(), spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: SPAN_EXPORT_DELAY_MS })] });
    tracer = tracerProvider.getTracer('rea', VERSION);
  }
  const metrics = backends.length === 0 ? undefined : metricsSink(tallies, backends);
  let shipper: AuditShipper | undefined;
  const exportSettings = settings.auditExport;
  if (exportSettings !== undefined) {
    shipper = new AuditShipper({
      auditPath: deps.auditPath,
      reaDir: deps.reaDir,
      url: exportSettings.url,
      exporter: await logExporter(settings.protocol, exportSettings.url),
      resource,
      batchRecords: exportSettings.batchRecords,
      maxLagRecords: exportSettings.maxLagRecords,
      pollMs: exportSettings.pollMs,
      maxBackoffMs: exportSettings.maxBackoffMs,
      onShipped: nativeCalls(tracer, metrics),
    });
    shipper.start();
  }
  const recordMetrics = metrics === undefined ? undefined : auditMetrics(metrics);
  return {
    requests: tracer === undefined && metrics === undefined ? undefined : requestTelemetry(tracer, metrics),
    audit: {
      appended(records, writeMs) {
        recordMetrics?.appended(records, writeMs);
        shipper?.kick();
      },
      failed(message) {
        recordMetrics?.failed(message);
      },
    },
    status: () => ({
      problems,
      traces: tracesHealth?.status() ?? null,
      metrics: metricsHealth?.status() ?? null,
      audit_export: shipper?.status() ?? null,
      prometheus: settings.prometheusListen === undefined ? null : { url: prometheus?.url ?? null, last_error: prometheusError ?? null },
    }),
    async shutdown() {
      await Promise.allSettled([shipper?.stop(), tracerProvider?.shutdown(), meterProvider?.shutdown(), prometheus?.close()]);
    },
  };
}
