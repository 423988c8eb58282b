import type { AuditLog } from '../../audit/index.js';
import type { RequestObserver } from '../../chain/types.js';
import type { Policy } from '../../config/policy-schema.js';
import type { ReaPaths } from '../../config/project-paths.js';
import { errorMessage } from '../../errors.js';
import { createLogger } from '../../observability/logger.js';
import { resolveTelemetry } from '../../observability/telemetry/settings.js';
import type { Telemetry } from '../../observability/telemetry/start.js';

const log = createLogger('serve');
/** How long shutdown waits for telemetry to flush: the durable cursor makes anything unsent go next time. */
const TELEMETRY_STOP_MS = 2_000;
/** Export state changes without any gateway event: serve.state.json is refreshed this often. */
const STATUS_REFRESH_MS = 1_000;

export interface TelemetryWiring {
  /** Settles once telemetry has started (or failed to); serving waits for it so every request is traced. */
  readonly ready: Promise<void>;
  requestObserver(): RequestObserver | undefined;
  /** `telemetry` in `rea status --json`; null when nothing is configured. */
  status(): Record<string, unknown> | null;
  /** What the health tool shows: states and lag, never error strings or URLs (those are for `rea status`). */
  health(): Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * Starts telemetry in the background when the policy or OTEL_* variables configure it; the SDK is
 * imported only then (issue 13: free when off). Problems are logged and shown by `rea status`.
 */
export function wireTelemetry(policy: Policy, paths: ReaPaths, deps: { auditLog: () => AuditLog | undefined; refreshState: () => void }): TelemetryWiring {
  const { settings, problems } = resolveTelemetry(policy.telemetry, process.env);
  for (const problem of problems) log.error(problem);
  let running: Telemetry | undefined;
  let startError: string | undefined;
  let refresh: NodeJS.Timeout | undefined;
  const ready =
    settings === undefined
      ? Promise.resolve()
      : import('../../observability/telemetry/start.js')
          .then(({ startTelemetry }) => startTelemetry(settings, { auditPath: paths.audit, reaDir: paths.dir, problems }))
          .then((telemetry) => {
            running = telemetry;
            deps.auditLog()?.observe(telemetry.audit);
            refresh = setInterval(deps.refreshState, STATUS_REFRESH_MS);
            refresh.unref();
            deps.refreshState();
          })
          .catch((error: unknown) => {
            startError = `telemetry did not start: ${errorMessage(error)}`;
            log.error(startError);
          });
  return {
    ready,
    requestObserver: () => running?.requests,
    status() {
      if (running !== undefined) return running.status();
      if (settings === undefined && problems.length === 0) return null;
      return { problems: startError === undefined ? problems : [...problems, startError], traces: null, metrics: null, audit_export: null, prometheus: null };
    },
    health() {
      const status = running?.status();
      if (status === undefined) return {};
      const state = (part: unknown): unknown => (part !== null && typeof part === 'object' ? ((part as { state?: unknown }).state ?? null) : null);
      const ship = status['audit_export'] as { state: string; lag_records: number; behind: boolean } | null;
      return {
        telemetry: {
          traces: state(status['traces']),
          metrics: state(status['metrics']),
          audit_export: ship === null ? null : { state: ship.state, lag_records: ship.lag_records, behind: ship.behind },
        },
      };
    },
    async stop() {
      clearInterval(refresh);
      if (running === undefined) return;
      deps.auditLog()?.observe(undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running.shutdown(), new Promise<void>((resolve) => (timer = setTimeout(resolve, TELEMETRY_STOP_MS)))]);
      clearTimeout(timer);
    },
  };
}
