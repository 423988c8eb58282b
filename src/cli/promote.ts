import { join } from 'node:path';
import type { Command } from 'commander';
import { reaPaths } from '../config/project-paths.js';
import { PROMOTION_DECISION_FILE } from '../gateway/serve/promotion-approver.js';
import { writeFileAtomic } from '../atomic-write.js';
import { readServeState } from '../observability/serve-state.js';
import { EXIT } from './exit-codes.js';
import { recordCliEvent } from './record-event.js';

/** `rea promote --approve|--reject`: settle a raise of autonomy the running gateway holds. */
export function registerPromoteCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('promote')
    .description('Approve or reject a raise of autonomy_level that the running gateway holds for a human')
    .option('--approve', 'apply the held raise')
    .option('--reject', 'keep the current level')
    .action(async (opts: { approve?: boolean; reject?: boolean }) => {
      if (Boolean(opts.approve) === Boolean(opts.reject)) {
        process.stderr.write('rea promote: pass exactly one of --approve or --reject\n');
        process.exitCode = EXIT.USAGE;
        return;
      }
      const paths = reaPaths(resolveRoot());
      const pending = readPending(paths.state);
      if (!pending) {
        process.stdout.write('No raise of autonomy is held by a running gateway.\n');
        process.exitCode = EXIT.FAILURE;
        return;
      }
      const decision = opts.approve ? 'approve' : 'reject';
      writeFileAtomic(join(paths.dir, PROMOTION_DECISION_FILE), JSON.stringify({ decision, to: pending.to, at: new Date().toISOString() }));
      await recordCliEvent(paths, `rea.policy.promotion_${decision}`, { from: pending.from, to: pending.to });
      process.stdout.write(`${decision === 'approve' ? 'Approved' : 'Rejected'} the raise ${pending.from} → ${pending.to}; the gateway applies it on its next request.\n`);
    });
}

function readPending(stateFile: string): { from: string; to: string } | undefined {
  return readServeState(stateFile)?.policy?.pending_promotion ?? undefined;
}
