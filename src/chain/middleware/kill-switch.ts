import { readHalt } from '../halt-file.js';
import { deny, STOPPED, type Middleware } from '../types.js';

/**
 * `.rea/HALT` checked on every request, uncached (THREAT_MODEL.md T9, chain/halt-file.ts). Absent →
 * continue; present → deny with its first line; any other error (EACCES, EIO, …) → deny: an unknown
 * state fails closed.
 */
export function killSwitch(haltPath: string): Middleware {
  return function killSwitch(ctx, next) {
    const halt = readHalt(haltPath);
    switch (halt.kind) {
      case 'absent':
        ctx.metadata['halt_decision'] = 'absent';
        return next();
      case 'present':
        ctx.metadata['halt_decision'] = 'present';
        deny(ctx, 'halt', 'kill-switch', `HALT: ${halt.reason}`, 'HALT is active');
        return STOPPED;
      case 'unknown':
        ctx.metadata['halt_decision'] = 'unknown';
        deny(ctx, 'halt', 'kill-switch', `HALT state unknown (${halt.code} reading ${haltPath}); failing closed`, 'HALT is active');
        return STOPPED;
      default: {
        const never: never = halt;
        return never;
      }
    }
  };
}
