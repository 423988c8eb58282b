#!/usr/bin/env -S node --max-semi-space-size=2 --v8-pool-size=2
// The flags above: a gateway's young objects are small and short-lived (one message, one record).
// V8's default semi-space (up to 16 MB, doubled) mostly inflates RSS; 2 MB keeps `rea serve` with
// three downstreams under 80 MB for a few percent more scavenges. Two GC helper threads instead of
// four: the gateway shares a couple of cores with the agent and its servers, and each thread costs
// memory (about 1 MB of RSS under load) and no measurable speed. `env -S` splits the arguments.
import { Command } from 'commander';
import { findProjectRoot } from '../config/project-paths.js';
import { VERSION } from '../version.js';
import { registerServeCommand } from './serve.js';
import { registerStatusCommand } from './status.js';
import { registerFreezeCommands } from './freeze.js';
import { registerDemoCommand } from './demo.js';
import { registerPromoteCommand } from './promote.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerTofuCommands } from './commands/tofu.js';
import { registerInitCommand } from './commands/init.js';
import { registerCheckCommand } from './commands/check.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerGateCommand } from './commands/gate.js';
import { EXIT } from './exit-codes.js';

const program = new Command();
program
  .name('rea')
  .description('Governance gateway for AI coding agents: an audited, policy-enforcing MCP proxy')
  .version(VERSION)
  .option('--dir <path>', 'project root holding .rea/ (default: REA_DIR, CLAUDE_PROJECT_DIR, or the nearest .rea/ upwards)')
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
  });

const resolveRoot = (): string => findProjectRoot(program.opts<{ dir?: string }>().dir);

registerServeCommand(program, resolveRoot);
registerStatusCommand(program, resolveRoot);
registerFreezeCommands(program, resolveRoot);
registerInitCommand(program, resolveRoot);
registerCheckCommand(program, resolveRoot);
registerDoctorCommand(program, resolveRoot);
registerPromoteCommand(program, resolveRoot);
registerAuditCommands(program, resolveRoot);
registerTofuCommands(program, resolveRoot);
registerGateCommand(program, () => program.opts<{ dir?: string }>().dir, resolveRoot);
registerDemoCommand(program);

await program.parseAsync(process.argv);
