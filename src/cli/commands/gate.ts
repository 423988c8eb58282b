/**
 * `rea gate <pre-commit|commit-msg|pre-push> [args…]`: what the hook scripts run (README "Git
 * gates"), and `rea gate install|uninstall|status` to wire them by hand (`rea init` and `rea doctor`
 * call the same functions). Exit codes: 0 passed or done, 1 refused or failed.
 */
import type { Command } from 'commander';
import { findProjectRoot } from '../../config/project-paths.js';
import { GATE_NAMES } from '../../git-gates/gate-verdict.js';
import { inspectGitGates, type GateStatus } from '../../git-gates/inspect.js';
import { currentLauncher, installGitGates, uninstallGitGates, type GateInstallReport, type GateUninstallReport } from '../../git-gates/install.js';
import { runGate } from '../../git-gates/run-gate.js';
import { EXIT } from '../exit-codes.js';

const DESCRIPTIONS = {
  'pre-commit': 'Refuse a commit that stages a secret or a blocked path, or is made under HALT',
  'commit-msg': 'Refuse AI attribution in a commit message when policy block_ai_attribution is on',
  'pre-push': 'Refuse a push under HALT',
} as const;

/** `explicitDir` is the global `--dir`; without it (or REA_DIR) the project is the work tree being committed. */
export function registerGateCommand(program: Command, explicitDir: () => string | undefined, resolveRoot: () => string): void {
  const gate = program.command('gate').description('Git gates (pre-commit, commit-msg, pre-push): run one as git does, or install, uninstall and inspect them');

  for (const name of GATE_NAMES) {
    gate
      .command(name)
      .description(DESCRIPTIONS[name])
      .argument('[args...]', "the hook's arguments as git passes them")
      .allowUnknownOption()
      .action(async (args: string[]) => {
        const rootFor = (top: string): string => findProjectRoot(explicitDir(), { REA_DIR: process.env['REA_DIR'] }, top);
        const outcome = await runGate(name, args, process.cwd(), rootFor);
        if (outcome.message) process.stderr.write(outcome.message);
        process.exitCode = outcome.exitCode === 0 ? EXIT.OK : EXIT.FAILURE;
      });
  }

  gate
    .command('install')
    .description("Install the gates where git runs hooks (core.hooksPath or .git/hooks), chaining any hook already there")
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const report = installGitGates(resolveRoot(), currentLauncher());
      const ok = report.problem === undefined && report.gates.every((g) => g.action !== 'conflict');
      print(opts.json === true, report, ok, renderInstall);
    });

  gate
    .command('uninstall')
    .description('Remove the gates and put back the hooks they chained, byte for byte')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const report = uninstallGitGates(resolveRoot());
      const ok = report.problem === undefined && report.gates.every((g) => g.action !== 'conflict');
      print(opts.json === true, report, ok, renderUninstall);
    });

  gate
    .command('status')
    .description('Show whether each gate is installed, executable, and chains what it should')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const status = inspectGitGates(resolveRoot());
      print(opts.json === true, status, status.ok, renderStatus);
    });
}

function print<T>(json: boolean, value: T, ok: boolean, render: (value: T) => string): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else (ok ? process.stdout : process.stderr).write(render(value));
  process.exitCode = ok ? EXIT.OK : EXIT.FAILURE;
}

function renderInstall(report: GateInstallReport): string {
  if (report.problem !== undefined) return `rea gate install: nothing installed: ${report.problem}\n`;
  const lines = [`Git gates in ${report.hooksDir}:`, ...report.gates.map((g) => `  ${g.gate.padEnd(10)}  ${g.action}: ${g.detail}`)];
  return `${lines.join('\n')}\n`;
}

function renderUninstall(report: GateUninstallReport): string {
  if (report.problem !== undefined) return `rea gate uninstall: nothing changed: ${report.problem}\n`;
  const lines = [`Git gates in ${report.hooksDir}:`, ...report.gates.map((g) => `  ${g.gate.padEnd(10)}  ${g.action}: ${g.detail}`)];
  return `${lines.join('\n')}\n`;
}

function renderStatus(status: GateStatus): string {
  if (status.problem !== undefined) return `rea gate status: ${status.problem}\n`;
  const lines = [`Git gates in ${status.hooksDir}:`];
  for (const g of status.gates) {
    const state = g.problems.length === 0 ? `ok${g.chained ? `, chains ${g.chained.path}` : ''}` : g.problems.join('; ');
    lines.push(`  ${g.gate.padEnd(10)}  ${state}`);
  }
  return `${lines.join('\n')}\n`;
}
