import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { reaPaths, type ReaPaths } from '../config/project-paths.js';
import { haltState } from '../gateway/serve/status-snapshot.js';
import { readServeState } from '../observability/serve-state.js';
import { neutralizeTerminal } from '../observability/terminal-safe.js';
import { EXIT } from './exit-codes.js';

interface DownstreamStatus {
  name: string;
  state: string;
  connected: boolean;
  tools: number;
  restarts: number;
  last_error: string | null;
  circuit: string;
}

/** The stable `rea status --json` shape (documented in the README). */
export interface StatusReport {
  serve: { running: boolean; pid: number | null; session_id: string | null; started_at: string | null; stale: boolean };
  downstreams: DownstreamStatus[];
  halt: { active: boolean; reason: string | null };
  /** Policy in force in the running gateway: level, a raise held for a human, the last reload error. */
  policy: { autonomy_level: string; pending_promotion: { from: string; to: string } | null; last_error: string | null } | null;
  /** Audit writer health in the running gateway. */
  audit: { appended: number; failures: number; last_error: string | null } | null;
  /**
   * Telemetry in the running gateway (issue 13): each exporter's state and last error, the audit
   * export's cursor and lag, the Prometheus URL. Null when telemetry is not configured.
   */
  telemetry: TelemetryStatus | null;
}

interface ExporterStatus {
  url: string;
  state: string;
  last_error: string | null;
}

export interface TelemetryStatus {
  problems: string[];
  traces: ExporterStatus | null;
  metrics: ExporterStatus | null;
  audit_export: (ExporterStatus & { cursor: { seq: number; hash: string } | null; lag_records: number; behind: boolean; shipped: number; cursor_problem: string | null }) | null;
  prometheus: { url: string | null; last_error: string | null } | null;
}

export function registerStatusCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('status')
    .description('Show the live gateway for this project: pid, downstreams, circuits, HALT')
    .option('--json', 'machine-readable output (stable shape, for jq)')
    .action((opts: { json?: boolean }) => {
      const report = readStatus(reaPaths(resolveRoot()));
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else process.stdout.write(renderStatus(report));
      process.exitCode = report.serve.running ? EXIT.OK : EXIT.NOT_RUNNING;
    });
}

function readStatus(paths: ReaPaths): StatusReport {
  const pid = readPid(paths.pid);
  const alive = pid !== null && isAlive(pid);
  const state = alive ? readServeState(paths.state) : undefined;
  return {
    serve: {
      running: alive,
      pid: alive ? pid : null,
      session_id: state?.serve.session_id ?? null,
      started_at: state?.serve.started_at ?? null,
      stale: pid !== null && !alive,
    },
    downstreams: (state?.downstreams ?? []).map((d) => ({
      name: d.name,
      state: d.state,
      connected: d.connected,
      tools: d.tools,
      restarts: d.restarts,
      last_error: d.last_error,
      circuit: d.circuit,
    })),
    halt: haltState(paths.halt),
    policy: state?.policy ? { autonomy_level: state.policy.autonomy_level, pending_promotion: state.policy.pending_promotion, last_error: state.policy.last_error } : null,
    audit: state?.audit ? { appended: state.audit.appended, failures: state.audit.failures, last_error: state.audit.last_error } : null,
    // Written by this rea's own gateway in the shape above; passed through as it is.
    telemetry: (state?.telemetry ?? null) as TelemetryStatus | null,
  };
}

function renderStatus(report: StatusReport): string {
  const safe = (text: string) => neutralizeTerminal(text);
  const lines: string[] = [];
  const { serve } = report;
  lines.push(
    serve.running
      ? `rea serve: running (pid ${serve.pid}, session ${safe(serve.session_id ?? '?')}, since ${safe(serve.started_at ?? '?')})`
      : `rea serve: not running${serve.stale ? ' (stale pid file)' : ''}`,
  );
  lines.push(report.halt.active ? `HALT: ACTIVE — ${safe(report.halt.reason ?? '(no reason)')}` : 'HALT: inactive');
  if (report.policy) {
    const held = report.policy.pending_promotion;
    lines.push(`policy: autonomy ${safe(report.policy.autonomy_level)}${held ? ` (raise to ${safe(held.to)} held for approval: rea promote --approve)` : ''}`);
    if (report.policy.last_error) lines.push(`policy: LAST RELOAD FAILED, last good policy kept — ${safe(report.policy.last_error)}`);
  }
  if (report.audit) {
    lines.push(`audit: ${report.audit.appended} records written${report.audit.failures ? `, ${report.audit.failures} FAILED — ${safe(report.audit.last_error ?? '')}` : ''}`);
  }
  if (report.telemetry) lines.push(...renderTelemetry(report.telemetry, safe));
  for (const d of report.downstreams) {
    const error = d.last_error ? `  last error: ${safe(d.last_error)}` : '';
    lines.push(`  ${safe(d.name)}: ${d.state}, ${d.tools} tools, circuit ${d.circuit}, ${d.restarts} restarts${error}`);
  }
  return lines.join('\n') + '\n';
}

function renderTelemetry(t: TelemetryStatus, safe: (text: string) => string): string[] {
  const lines = t.problems.map((p) => `telemetry: PROBLEM — ${safe(p)}`);
  const exporter = (name: string, e: ExporterStatus | null): void => {
    if (e) lines.push(`telemetry: ${name} → ${safe(e.url)}: ${e.state}${e.last_error ? ` — last error: ${safe(e.last_error)}` : ''}`);
  };
  exporter('traces', t.traces);
  exporter('metrics', t.metrics);
  const ship = t.audit_export;
  if (ship) {
    const cursor = ship.cursor ? `cursor at seq ${ship.cursor.seq}` : 'nothing acknowledged yet';
    lines.push(`telemetry: audit export → ${safe(ship.url)}: ${ship.state}, ${cursor}, ${ship.lag_records} behind${ship.behind ? ' (BEHIND its bound)' : ''}${ship.last_error ? ` — last error: ${safe(ship.last_error)}` : ''}`);
  }
  if (t.prometheus) lines.push(`telemetry: prometheus ${t.prometheus.url ? safe(t.prometheus.url) : `NOT LISTENING — ${safe(t.prometheus.last_error ?? '')}`}`);
  return lines;
}

function readPid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
