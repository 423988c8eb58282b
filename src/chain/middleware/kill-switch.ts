import { readHalt } from '../halt-file.js';
import { deny, type Middleware } from '../types.js';

/**
 * `.rea/HALT` checked with exactly one open() per request, so there is no window between a check
 * and a read (THREAT_MODEL.md T9). Absent → continue; present → deny with its first line; any other
 * error (EACCES, EISDIR, EIO, …) → deny: an unknown state fails closed.
 */
export function killSwitch(haltPath: string): Middleware {
  return async function killSwitch(ctx, next) {
    const halt = readHalt(haltPath);
    switch (halt.kind) {
      case 'absent':
        ctx.metadata['halt_decision'] = 'absent';
        return next();
      case 'present':
        ctx.metadata['halt_decision'] = 'present';
        deny(ctx, 'halt', 'kill-switch', `HALT: ${halt.reason}`, 'HALT is active');
        return;
      case 'unknown':
        ctx.metadata['halt_decision'] = 'unknown';
        deny(ctx, 'halt', 'kill-switch', `HALT state unknown (${halt.code} opening ${haltPath}); failing closed`, 'HALT is active');
        return;
      default: {
        const never: never = halt;
        return never;
      }
    }
  };
}
