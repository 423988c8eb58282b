import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadProjectPolicy, type PolicyLoad } from '../../config/policy-loader.js';
import { loadRegistry } from '../../config/registry-loader.js';
import { reaPaths, type ReaPaths } from '../../config/project-paths.js';
import { errorMessage } from '../../errors.js';
import { readServeState } from '../../observability/serve-state.js';
import { EXIT } from '../exit-codes.js';

/** The stable `rea check --json` shape. */
export interface CheckReport {
  readonly ok: boolean;
  readonly policy: { readonly file: string; readonly origin: 'file' | 'default'; readonly effective: unknown } | null;
  readonly registry: { readonly file: string; readonly servers: number } | null;
  /** A raise of autonomy the running gateway holds for approval (from serve.state.json), if any. */
  readonly pending_promotion: { readonly from: string; readonly to: string } | null;
  readonly error: string | null;
}

export function checkProject(paths: ReaPaths): CheckReport {
  let load: PolicyLoad;
  try {
    load = loadProjectPolicy(paths.root);
  } catch (error) {
    return { ok: false, policy: null, registry: null, pending_promotion: null, error: errorMessage(error) };
  }
  const policy = { file: load.file, origin: load.origin, effective: load.policy };
  let registry: CheckReport['registry'] = null;
  if (existsSync(paths.registry)) {
    try {
      registry = { file: paths.registry, servers: loadRegistry(paths.registry).servers.length };
    } catch (error) {
      return { ok: false, policy, registry: null, pending_promotion: null, error: errorMessage(error) };
    }
  }
  return { ok: true, policy, registry, pending_promotion: pendingPromotion(paths), error: null };
}

/** The gateway publishes a held raise in its state file; a missing or foreign file means none. */
function pendingPromotion(paths: ReaPaths): CheckReport['pending_promotion'] {
  return readServeState(paths.state)?.policy?.pending_promotion ?? null;
}

export function renderCheck(report: CheckReport): string {
  if (!report.ok) return `rea check: ${report.error}\n`;
  const lines: string[] = [];
  const p = report.policy!;
  lines.push(p.origin === 'default' ? `No ${p.file}: the default policy is in force.` : `${p.file}: valid.`);
  if (report.registry) lines.push(`${report.registry.file}: valid, ${report.registry.servers} server(s).`);
  if (report.pending_promotion) {
    const { from, to } = report.pending_promotion;
    lines.push(`PENDING: the running gateway holds an autonomy raise ${from} -> ${to} until a human confirms it in the agent's client.`);
  }
  lines.push('', 'Effective policy (defaults filled in):', stringify(p.effective).trimEnd());
  return `${lines.join('\n')}\n`;
}

export function registerCheckCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('check')
    .description('Validate .rea/policy.yaml (and registry.yaml) and print the effective policy')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const report = checkProject(reaPaths(resolveRoot()));
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.ok) process.stdout.write(renderCheck(report));
      else process.stderr.write(renderCheck(report));
      process.exitCode = report.ok ? EXIT.OK : EXIT.FAILURE;
    });
}
