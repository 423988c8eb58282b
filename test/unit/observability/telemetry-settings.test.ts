import { describe, expect, it } from 'vitest';
import { policyLoadError } from '../../helpers/policy-errors.js';
import { parsePolicyText } from '../../../src/config/policy-loader.js';
import { resolveTelemetry } from '../../../src/observability/telemetry/settings.js';

const loadError = policyLoadError;

const policy = (block: string) => parsePolicyText('policy.yaml', `version: "1"\ntelemetry:\n${block}`).telemetry;

describe('telemetry settings (issue 13)', () => {
  it('is off, with nothing to load, when neither the policy nor the environment configures it', () => {
    expect(resolveTelemetry(undefined, {})).toEqual({ settings: undefined, problems: [] });
  });

  it('reads the standard OTEL_* variables: base endpoint plus /v1/<signal>, per-signal URLs as they are', () => {
    const { settings, problems } = resolveTelemetry(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/base',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:4318/custom/logs',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'agent-gw',
      OTEL_RESOURCE_ATTRIBUTES: 'team=platform,host.name=ci%201',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      protocol: 'http/json',
      serviceName: 'agent-gw',
      resourceAttributes: { team: 'platform', 'host.name': 'ci 1' },
      tracesUrl: 'http://collector:4318/base/v1/traces',
      metricsUrl: 'http://collector:4318/base/v1/metrics',
      metricIntervalMs: 5000,
      auditExport: { url: 'http://logs:4318/custom/logs', batchRecords: 512, maxLagRecords: 100_000 },
    });
  });

  it('lets the policy block win over the environment, and defaults to http/protobuf', () => {
    const { settings } = resolveTelemetry(policy('  endpoint: http://policy:4318\n  service_name: from-policy\n'), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_SERVICE_NAME: 'from-env' });
    expect(settings).toMatchObject({ protocol: 'http/protobuf', serviceName: 'from-policy', tracesUrl: 'http://policy:4318/v1/traces' });
  });

  it('turns every OTLP signal off with OTEL_SDK_DISABLED, leaving Prometheus on', () => {
    const { settings } = resolveTelemetry(policy('  prometheus: { listen: "127.0.0.1:0" }\n'), { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' });
    expect(settings).toEqual(expect.objectContaining({ prometheusListen: '127.0.0.1:0' }));
    expect(settings?.tracesUrl).toBeUndefined();
    expect(settings?.auditExport).toBeUndefined();
  });

  it('refuses an endpoint that is not a URL, naming where it came from, and keeps the rest', () => {
    const { settings, problems } = resolveTelemetry(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ok:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector 4318' });
    expect(problems).toEqual(['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is `collector 4318`, which is not a URL; traces export is off (write it as http://host:4318)']);
    expect(settings?.tracesUrl).toBeUndefined();
    expect(settings?.metricsUrl).toBe('http://ok:4318/v1/metrics');
  });

  it('refuses a protocol rea does not speak, and exports nothing rather than the wrong encoding', () => {
    const { settings, problems } = resolveTelemetry(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(problems).toEqual(['OTEL_EXPORTER_OTLP_PROTOCOL is `grpc`; rea exports over http/json or http/protobuf only, so OpenTelemetry export is off (set one of those)']);
    expect(settings).toBeUndefined();
  });

  it('validates the policy block with the same messages as the rest of the policy', () => {
    expect(loadError('version: "1"\ntelemetry:\n  protocol: grpc\n')).toBe('policy.yaml:3: `telemetry.protocol` must be one of http/json, http/protobuf, got `grpc`');
    expect(loadError('version: "1"\ntelemetry:\n  prometheus: { listen: "0.0.0.0:9464" }\n')).toBe(
      'policy.yaml:3: `telemetry.prometheus.listen` must be a loopback address and port such as "127.0.0.1:9464" (port 0: any free port), got `0.0.0.0:9464`',
    );
    expect(loadError('version: "1"\ntelemetry:\n  endpont: http://c:4318\n')).toMatch(/^policy\.yaml:3: `telemetry\.endpont` is not a known key \(allowed: disabled, service_name, /);
    expect(loadError('version: "1"\ntelemetry:\n  audit_export: { batch_records: 0 }\n')).toBe('policy.yaml:3: `telemetry.audit_export.batch_records` must be greater than 0, got `0`');
  });
});
