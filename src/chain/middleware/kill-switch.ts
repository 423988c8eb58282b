import { closeSync, openSync, readSync } from 'node:fs';
import { deny, type Middleware } from '../types.js';

/** A large HALT file cannot slow a call down: only its head is read. */
const MAX_HALT_READ_BYTES = 1024;

/**
 * `.rea/HALT` checked with exactly one open() per request, so there is no window between a check
 * and a read (THREAT_MODEL.md, kill switch). Absent → continue; present → deny with its first line;
 * any other error (EACCES, EISDIR, EIO, …) → deny: an unknown state fails closed.
 *
 * The open is synchronous on purpose: on a local directory it costs a few microseconds, while the
 * promise API pays a thread-pool round trip (~0.1 ms) on every call for the common "absent" answer.
 */
export function killSwitch(haltPath: string): Middleware {
  return async function killSwitch(ctx, next) {
    let fd: number;
    // The usual answer is ENOENT, thrown as an Error: skipping its stack trace saves most of the check.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      fd = openSync(haltPath, 'r');
    } catch (error) {
      Error.stackTraceLimit = stackTraceLimit;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        ctx.metadata['halt_decision'] = 'absent';
        return next();
      }
      ctx.metadata['halt_decision'] = 'unknown';
      deny(ctx, 'halt', 'kill-switch', `HALT state unknown (${code ?? 'error'} opening ${haltPath}); failing closed`, 'HALT is active');
      return;
    }
    Error.stackTraceLimit = stackTraceLimit;
    let reason = 'HALT present';
    try {
      const buffer = Buffer.alloc(MAX_HALT_READ_BYTES);
      const bytesRead = readSync(fd, buffer, 0, MAX_HALT_READ_BYTES, 0);
      const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]?.trim();
      if (firstLine) reason = firstLine;
    } catch (error) {
      reason = `HALT present but unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    } finally {
      closeSync(fd);
    }
    ctx.metadata['halt_decision'] = 'present';
    deny(ctx, 'halt', 'kill-switch', `HALT: ${reason}`, 'HALT is active');
  };
}
