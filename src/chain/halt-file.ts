import { closeSync, openSync, readSync } from 'node:fs';

/** A large HALT file cannot slow a check down: only its head is read. */
const MAX_HALT_READ_BYTES = 1024;

export type HaltState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly code: string };

/**
 * The kill switch's one reading of `.rea/HALT` (THREAT_MODEL.md T9), shared by the chain stage, the
 * guard on requests outside the chain, the re-check after a confirmation and `rea status`: exactly
 * one open(); ENOENT is absent; any other error is unknown (callers fail closed); present carries
 * the first line. Synchronous on purpose: a thread-pool round trip would cost more than the check.
 */
export function readHalt(haltPath: string): HaltState {
  let fd: number;
  // The usual answer is ENOENT, thrown as an Error: skipping its stack trace saves most of the check.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    fd = openSync(haltPath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? { kind: 'absent' } : { kind: 'unknown', code };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  try {
    const buffer = Buffer.alloc(MAX_HALT_READ_BYTES);
    const bytesRead = readSync(fd, buffer, 0, MAX_HALT_READ_BYTES, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]?.trim();
    return { kind: 'present', reason: firstLine || 'HALT present' };
  } catch (error) {
    return { kind: 'present', reason: `HALT present but unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
}
