/**
 * What telemetry should do, from the policy's `telemetry:` block and the standard OTEL_* variables
 * (the block wins where it says something; the variables fill in the rest). Pure and SDK-free: the
 * gateway calls it on every start, and loads the SDK only when this says something is on.
 */
import type { TelemetryPolicy } from '../../config/policy-schema-telemetry.js';

export type OtlpProtocol = 'http/json' | 'http/protobuf';

export interface AuditExportSettings {
  readonly url: string;
  readonly batchRecords: number;
  readonly maxLagRecords: number;
  readonly pollMs: number;
  readonly maxBackoffMs: number;
}

export interface TelemetrySettings {
  readonly protocol: OtlpProtocol;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly tracesUrl?: string;
  readonly metricsUrl?: string;
  readonly metricIntervalMs: number;
  readonly auditExport?: AuditExportSettings;
  readonly prometheusListen?: string;
}

export interface ResolvedTelemetry {
  /** Undefined when nothing is configured: the SDK is then never loaded. */
  readonly settings: TelemetrySettings | undefined;
  /** Configuration that was refused, each with what to do; the rest still runs. */
  readonly problems: readonly string[];
}

const PROTOCOLS: readonly string[] = ['http/json', 'http/protobuf'];
const SIGNAL_PATHS = { traces: 'v1/traces', metrics: 'v1/metrics', logs: 'v1/logs' } as const;
type Signal = keyof typeof SIGNAL_PATHS;

export function resolveTelemetry(policy: TelemetryPolicy | undefined, env: NodeJS.ProcessEnv): ResolvedTelemetry {
  const problems: string[] = [];
  const prometheusListen = policy?.prometheus?.listen;
  const disabled = policy?.disabled ?? env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
  const protocolSource = policy?.protocol !== undefined ? 'telemetry.protocol' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = policy?.protocol ?? (env['OTEL_EXPORTER_OTLP_PROTOCOL']?.trim() || 'http/protobuf');
  let otlpOn = !disabled;
  if (otlpOn && !PROTOCOLS.includes(protocol)) {
    problems.push(`${protocolSource} is \`${protocol}\`; rea exports over http/json or http/protobuf only, so OpenTelemetry export is off (set one of those)`);
    otlpOn = false;
  }
  const urls: Partial<Record<Signal, string>> = {};
  if (otlpOn) {
    for (const signal of Object.keys(SIGNAL_PATHS) as Signal[]) {
      const url = signalUrl(signal, policy, env, problems);
      if (url !== undefined) urls[signal] = url;
    }
  }
  const exportPolicy = policy?.audit_export;
  const auditExport =
    urls.logs !== undefined && exportPolicy?.enabled !== false
      ? {
          url: urls.logs,
          batchRecords: exportPolicy?.batch_records ?? 512,
          maxLagRecords: exportPolicy?.max_lag_records ?? 100_000,
          pollMs: exportPolicy?.poll_ms ?? 1000,
          maxBackoffMs: exportPolicy?.max_backoff_ms ?? 30_000,
        }
      : undefined;
  if (urls.traces === undefined && urls.metrics === undefined && auditExport === undefined && prometheusListen === undefined) {
    return { settings: undefined, problems };
  }
  return {
    settings: {
      protocol: protocol as OtlpProtocol,
      serviceName: policy?.service_name ?? (env['OTEL_SERVICE_NAME']?.trim() || 'rea'),
      resourceAttributes: { ...parseResourceAttributes(env['OTEL_RESOURCE_ATTRIBUTES'], problems), ...policy?.resource_attributes },
      ...(urls.traces === undefined ? {} : { tracesUrl: urls.traces }),
      ...(urls.metrics === undefined ? {} : { metricsUrl: urls.metrics }),
      metricIntervalMs: policy?.metric_export_interval_ms ?? positiveMs(env['OTEL_METRIC_EXPORT_INTERVAL'], 'OTEL_METRIC_EXPORT_INTERVAL', problems) ?? 60_000,
      ...(auditExport === undefined ? {} : { auditExport }),
      ...(prometheusListen === undefined ? {} : { prometheusListen }),
    },
    problems,
  };
}

/** The per-signal URL as is, else the base endpoint plus `/v1/<signal>` (OTLP exporter spec). */
function signalUrl(signal: Signal, policy: TelemetryPolicy | undefined, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const key = `${signal}_endpoint` as const;
  const envKey = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
  const specific = policy?.[key] !== undefined ? { from: `telemetry.${key}`, value: policy[key] } : env[envKey]?.trim() ? { from: envKey, value: env[envKey].trim() } : undefined;
  const base = policy?.endpoint !== undefined ? { from: 'telemetry.endpoint', value: policy.endpoint } : env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() ? { from: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: env['OTEL_EXPORTER_OTLP_ENDPOINT'].trim() } : undefined;
  const chosen = specific ?? base;
  if (chosen === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(chosen.value);
  } catch {
    problems.push(`${chosen.from} is \`${chosen.value}\`, which is not a URL; ${signal} export is off (write it as http://host:4318)`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${chosen.from} is \`${chosen.value}\`; OTLP/HTTP needs an http:// or https:// URL, so ${signal} export is off`);
    return undefined;
  }
  if (specific !== undefined) return url.href;
  return new URL(SIGNAL_PATHS[signal], url.href.endsWith('/') ? url.href : `${url.href}/`).href;
}

/** `key1=value1,key2=value2`, percent-encoded values (OTel resource SDK spec). */
function parseResourceAttributes(raw: string | undefined, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined || raw.trim() === '') return out;
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    if (key === '') {
      problems.push(`OTEL_RESOURCE_ATTRIBUTES: \`${pair}\` is not key=value; it is ignored`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      problems.push(`OTEL_RESOURCE_ATTRIBUTES: the value of \`${key}\` is not valid percent-encoding; it is ignored`);
    }
  }
  return out;
}

function positiveMs(raw: string | undefined, name: string, problems: string[]): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Number(raw);
  if (Number.isInteger(ms) && ms > 0) return ms;
  problems.push(`${name} is \`${raw}\`; it must be a positive whole number of milliseconds, so the default 60000 applies`);
  return undefined;
}
