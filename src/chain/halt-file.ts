import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** A large HALT file cannot slow a check down: only its head is read. */
const MAX_HALT_READ_BYTES = 1024;

export type HaltState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly code: string };

const ABSENT: HaltState = Object.freeze({ kind: 'absent' });
/** The stat's options, made once: this runs for every request. */
const MISSING_IS_UNDEFINED = { throwIfNoEntry: false } as const;

/**
 * The kill switch's one reading of `.rea/HALT` (THREAT_MODEL.md T9), shared by the chain stage, the
 * guard on requests outside the chain, the re-check after a confirmation and `rea status`. The usual
 * answer is "absent", so it is asked with a stat that reports a missing file without throwing (a
 * quarter of an open()'s cost); only a HALT that exists is opened, for its first line. Any error
 * other than a missing file is unknown (callers fail closed). Synchronous on purpose: a thread-pool
 * round trip would cost more than the check, and the switch takes effect on the very next request.
 */
export function readHalt(haltPath: string): HaltState {
  try {
    if (statSync(haltPath, MISSING_IS_UNDEFINED) === undefined) return ABSENT;
  } catch (error) {
    return { kind: 'unknown', code: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  let fd: number;
  try {
    fd = openSync(haltPath, 'r');
  } catch (error) {
    // Removed between the stat and the open: the later state wins, as a single open would have seen it.
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? ABSENT : { kind: 'unknown', code };
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
