import type { Command } from 'commander';
import { errorMessage } from '../../errors.js';
import { neutralizeTerminal } from '../../observability/terminal-safe.js';
import { checkAudit, checkConfig, checkGatewaySelfTest, checkGitGates, checkHooks, checkHooksEnabled, checkMcpServers, type DoctorCheck } from '../../setup/doctor-checks.js';
import { EXIT } from '../exit-codes.js';

export function registerDoctorCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('doctor')
    .description('Check that this project is wired: policy, registry, .mcp.json, Claude Code hooks, git gates, audit chain, and the gateway itself')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const root = resolveRoot();
      let checks: DoctorCheck[];
      try {
        checks = [...checkConfig(root), ...checkMcpServers(root), ...checkHooks(root), checkHooksEnabled(root), ...checkGitGates(root), await checkAudit(root), await checkGatewaySelfTest()];
      } catch (error) {
        checks = [{ name: 'doctor', ok: false, detail: errorMessage(error) }];
      }
      const ok = checks.every((c) => c.ok);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok, root, checks })}\n`);
      else {
        for (const c of checks) {
          process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${neutralizeTerminal(c.detail)}\n`);
          if (!c.ok && c.fix) process.stdout.write(`     fix: ${c.fix}\n`);
        }
        const failed = checks.filter((c) => !c.ok).length;
        process.stdout.write(ok ? 'rea doctor: everything checks out.\n' : `rea doctor: ${failed} problem${failed === 1 ? '' : 's'}.\n`);
      }
      process.exitCode = ok ? EXIT.OK : EXIT.FAILURE;
    });
}
