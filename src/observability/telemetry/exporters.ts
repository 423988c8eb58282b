/**
 * OTLP/HTTP exporters from the official packages, by protocol: `http/json` uses the
 * `*-otlp-http` packages, `http/protobuf` the `*-otlp-proto` ones. Loaded on demand so the
 * protocol not in use is never imported.
 */
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpProtocol } from './settings.js';

/** One export request may take this long, retries included (the exporters' default). */
const EXPORT_TIMEOUT_MS = 10_000;

export async function spanExporter(protocol: OtlpProtocol, url: string): Promise<SpanExporter> {
  const { OTLPTraceExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url, timeoutMillis: EXPORT_TIMEOUT_MS });
}

export async function metricExporter(protocol: OtlpProtocol, url: string): Promise<PushMetricExporter> {
  const { OTLPMetricExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-metrics-otlp-http') : await import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter({ url, timeoutMillis: EXPORT_TIMEOUT_MS });
}

export async function logExporter(protocol: OtlpProtocol, url: string): Promise<LogRecordExporter> {
  const { OTLPLogExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-logs-otlp-http') : await import('@opentelemetry/exporter-logs-otlp-proto');
  return new OTLPLogExporter({ url, timeoutMillis: EXPORT_TIMEOUT_MS });
}
