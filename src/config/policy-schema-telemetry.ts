import { z } from 'zod';

/**
 * `telemetry:` in `.rea/policy.yaml` (issue 13): the same settings as the standard OTEL_*
 * variables, which fill in whatever this block leaves unset. Read when `rea serve` starts. A URL
 * that does not parse is reported at start and that exporter stays off; the gateway still serves.
 */

const positiveInt = () => z.number().int().positive();

/** Loopback only: the endpoint has no authentication, so it must not face the network. */
const LOOPBACK_LISTEN = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/;

const OtlpProtocolSchema = z.enum(['http/json', 'http/protobuf']);

const PrometheusSchema = z
  .object({
    /** `127.0.0.1:PORT` (or `localhost:PORT`, `[::1]:PORT`); port 0 takes any free port (see `rea status`). */
    listen: z.string().regex(LOOPBACK_LISTEN, 'must be a loopback address and port such as "127.0.0.1:9464" (port 0: any free port)').refine(
      (v) => Number(LOOPBACK_LISTEN.exec(v)?.[2]) <= 65535,
      'port must be at most 65535',
    ),
  })
  .strict();

const AuditExportSchema = z
  .object({
    /** Ship audit records as OTLP log records (default true when a logs endpoint is configured). */
    enabled: z.boolean().optional(),
    /** Records per export request. */
    batch_records: positiveInt().max(10_000).default(512),
    /** Lag (records not yet acknowledged) above which status reports export as behind. */
    max_lag_records: positiveInt().default(100_000),
    /** How often the log is checked for records written by other processes (hooks, CLI). */
    poll_ms: positiveInt().default(1000),
    /** Longest pause between retries while the collector fails. */
    max_backoff_ms: positiveInt().default(30_000),
  })
  .strict();

export const TelemetrySchema = z
  .object({
    /** OTEL_SDK_DISABLED: turn every OpenTelemetry signal off (Prometheus is separate). */
    disabled: z.boolean().optional(),
    /** OTEL_SERVICE_NAME (default `rea`). */
    service_name: z.string().min(1).optional(),
    /** OTEL_RESOURCE_ATTRIBUTES, as a map. */
    resource_attributes: z.record(z.string().min(1), z.string()).optional(),
    /** OTEL_EXPORTER_OTLP_ENDPOINT: base URL; `/v1/traces`, `/v1/metrics`, `/v1/logs` are appended. */
    endpoint: z.string().min(1).optional(),
    /** OTEL_EXPORTER_OTLP_PROTOCOL (default `http/protobuf`). */
    protocol: OtlpProtocolSchema.optional(),
    /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: full URL, used as is. */
    traces_endpoint: z.string().min(1).optional(),
    /** OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: full URL, used as is. */
    metrics_endpoint: z.string().min(1).optional(),
    /** OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: full URL, used as is (where audit records go). */
    logs_endpoint: z.string().min(1).optional(),
    /** OTEL_METRIC_EXPORT_INTERVAL in milliseconds (default 60000). */
    metric_export_interval_ms: positiveInt().optional(),
    audit_export: AuditExportSchema.prefault({}),
    prometheus: PrometheusSchema.optional(),
  })
  .strict();

export type TelemetryPolicy = z.output<typeof TelemetrySchema>;
