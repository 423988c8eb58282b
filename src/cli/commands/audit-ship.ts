/**
 * `rea audit ship`: sends every record after the export cursor to the collector the policy's
 * `telemetry:` block or the OTEL_* variables name, then exits. It covers records written while no
 * gateway ran (hooks, git gates, the CLI) and a first backfill; a running gateway's shipper and
 * this command share the cursor and its lock, so they never both send a batch.
 */
import type { Command } from 'commander';
import { loadProjectPolicy } from '../../config/policy-loader.js';
import { reaPaths } from '../../config/project-paths.js';
import { errorMessage } from '../../errors.js';
import { resolveTelemetry } from '../../observability/telemetry/settings.js';
import { EXIT } from '../exit-codes.js';

export function registerShipCommand(audit: Command, resolveRoot: () => string): void {
  audit
    .command('ship')
    .description('Send the audit records after the export cursor to the OTLP collector, then exit')
    .option('--endpoint <url>', 'OTLP logs URL (default: telemetry.logs_endpoint / OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, or the base endpoint + /v1/logs)')
    .option('--protocol <protocol>', 'http/json or http/protobuf (default: telemetry.protocol / OTEL_EXPORTER_OTLP_PROTOCOL)')
    .action(async (opts: { endpoint?: string; protocol?: string }) => {
      try {
        const paths = reaPaths(resolveRoot());
        const policy = loadProjectPolicy(paths.root).policy;
        const env = {
          ...process.env,
          ...(opts.endpoint === undefined ? {} : { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: opts.endpoint }),
          ...(opts.protocol === undefined ? {} : { OTEL_EXPORTER_OTLP_PROTOCOL: opts.protocol }),
        };
        // Command-line choices beat the policy's, which beat the environment's.
        const block = { ...policy.telemetry, ...(opts.endpoint === undefined ? {} : { logs_endpoint: opts.endpoint }), ...(opts.protocol === undefined ? {} : { protocol: undefined }) };
        const { settings, problems } = resolveTelemetry(block as typeof policy.telemetry, env);
        if (problems.length > 0) return fail(EXIT.USAGE, problems.join('; '));
        const target = settings?.auditExport;
        if (settings === undefined || target === undefined) {
          return fail(EXIT.USAGE, 'no OTLP logs endpoint: set telemetry.endpoint (or logs_endpoint) in .rea/policy.yaml, OTEL_EXPORTER_OTLP_ENDPOINT, or pass --endpoint');
        }
        // Loaded only here: the other audit commands never pay for the OpenTelemetry SDK.
        const [{ AuditShipper }, { logExporter }, { telemetryResource }] = await Promise.all([
          import('../../audit/shipper/shipper.js'),
          import('../../observability/telemetry/exporters.js'),
          import('../../observability/telemetry/start.js'),
        ]);
        const shipper = new AuditShipper({
          auditPath: paths.audit,
          reaDir: paths.dir,
          url: target.url,
          exporter: await logExporter(settings.protocol, target.url),
          resource: telemetryResource(settings),
          batchRecords: target.batchRecords,
          maxLagRecords: target.maxLagRecords,
          pollMs: target.pollMs,
          maxBackoffMs: target.maxBackoffMs,
        });
        const result = await shipper.shipAll();
        const cursor = shipper.status().cursor;
        await shipper.stop();
        const at = cursor === null ? 'nothing acknowledged yet' : `cursor at seq ${cursor.seq}`;
        if (result.error !== undefined) return fail(EXIT.FAILURE, `shipped ${result.shipped} record(s) to ${target.url}, then the collector failed: ${result.error} (${at}; run it again to resume)`);
        process.stdout.write(`Shipped ${result.shipped} record(s) to ${target.url}; ${at}.\n`);
      } catch (error) {
        fail(EXIT.FAILURE, errorMessage(error));
      }
    });
}

function fail(code: number, message: string): void {
  process.stderr.write(`rea audit ship: ${message}\n`);
  process.exitCode = code;
}
