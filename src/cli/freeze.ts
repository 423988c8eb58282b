import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { reaPaths } from '../config/project-paths.js';
import { writeFileAtomic } from '../atomic-write.js';
import { neutralizeTerminal } from '../observability/terminal-safe.js';
import { EXIT } from './exit-codes.js';
import { recordCliEvent } from './record-event.js';

/** `rea freeze --reason` writes `.rea/HALT` (first line = reason); `rea unfreeze` removes it. */
export function registerFreezeCommands(program: Command, resolveRoot: () => string): void {
  program
    .command('freeze')
    .description('Activate the kill switch: every governed call is denied until `rea unfreeze`')
    .requiredOption('--reason <text>', 'why; shown in every denial record')
    .action(async (opts: { reason: string }) => {
      const paths = reaPaths(resolveRoot());
      // One line, no control characters: the reason is shown in terminals and audit records.
      const reason = opts.reason.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
      if (!reason) {
        process.stderr.write('rea freeze: --reason must not be empty\n');
        process.exitCode = EXIT.USAGE;
        return;
      }
      mkdirSync(paths.dir, { recursive: true });
      writeFileAtomic(paths.halt, `${reason} (frozen at ${new Date().toISOString()})\n`, 0o644);
      await recordCliEvent(paths, 'rea.halt.freeze', { reason });
      process.stdout.write(`HALT active: ${neutralizeTerminal(reason)}\n`);
    });

  program
    .command('unfreeze')
    .description('Remove the kill switch')
    .option('--reason <text>', 'why; recorded in the audit log')
    .action(async (opts: { reason?: string }) => {
      const paths = reaPaths(resolveRoot());
      if (!existsSync(paths.halt)) {
        process.stdout.write('Not frozen: no .rea/HALT\n');
        return;
      }
      rmSync(paths.halt, { force: true });
      await recordCliEvent(paths, 'rea.halt.unfreeze', { reason: opts.reason ?? null });
      process.stdout.write('HALT removed\n');
    });
}
