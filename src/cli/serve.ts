import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { errorMessage } from '../errors.js';

/**
 * `rea serve` runs the gateway over `.rea/registry.yaml`; `rea serve --wrap -- <cmd> [args…]`
 * puts it in front of one server without renaming anything (same chain, same audit).
 */
export function registerServeCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('serve')
    .description('Run the MCP gateway on stdio (Claude Code launches this from .mcp.json)')
    .option('--wrap', 'proxy the single server given after -- and keep its tool names')
    .option('--name <name>', 'server name used in audit records in --wrap mode')
    .option('--env <names...>', 'with --wrap: environment variables to forward to the server (e.g. --env GITHUB_TOKEN)')
    .argument('[command...]', 'with --wrap: the server command and its arguments, after --')
    .allowUnknownOption(false)
    .action(async (command: string[], opts: { wrap?: boolean; name?: string; env?: string[] }) => {
      if (opts.wrap && command.length === 0) {
        process.stderr.write('rea serve --wrap needs a command: rea serve --wrap -- <command> [args...]\n');
        process.exitCode = EXIT.USAGE;
        return;
      }
      if (!opts.wrap && command.length > 0) {
        process.stderr.write('rea serve: a command is only accepted with --wrap\n');
        process.exitCode = EXIT.USAGE;
        return;
      }
      // Under sustained load V8 grows the old generation to several times the live heap (short-lived
      // objects promoted mid-call): 100+ MB of RSS for ~20 MB live. A 1.3× growth factor keeps
      // `rea serve` with three downstreams under 80 MB under load for ~5–8% more GC time (bench/gateway.mjs).
      // Read at every GC, so setting it now works.
      setFlagsFromString('--heap-growing-percent=30');
      try {
        // Loaded on use: the gateway pulls in the whole MCP SDK, which other commands do not need.
        const { startServe } = await import('../gateway/serve/assemble.js');
        await startServe({ root: resolveRoot(), wrap: opts.wrap ? { command, ...(opts.name ? { name: opts.name } : {}), ...(opts.env ? { env: opts.env } : {}) } : undefined });
      } catch (error) {
        process.stderr.write(`rea serve: ${errorMessage(error)}\n`);
        // Exit now: children already started must not keep a failed gateway alive (they are killed on exit).
        process.exit(EXIT.FAILURE);
      }
    });
}
