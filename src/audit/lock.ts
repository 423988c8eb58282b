/**
 * Cross-process lock for the audit chain. Same lock as rea 0.4 (`proper-lockfile` on the log's
 * directory, so the lock is `<dir>.lock`): a rea 0.4 hook and this gateway serialise against each
 * other. We retry ourselves with short waits (proper-lockfile's retry floor of ~15 ms would cap
 * cross-process throughput) and always give up at the caller's deadline.
 */
import { mkdirSync, rmdirSync, statSync, utimesSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { ReaError, errorMessage } from '../errors.js';
import { createLogger } from '../observability/logger.js';

const log = createLogger('audit:lock');

/** rea 0.4 treats a lock untouched for 10 s as abandoned; agreeing avoids stealing its live locks. */
const DEFAULT_LOCK_STALE_MS = 10_000;

export interface LockOptions {
  /** Absolute time (Date.now()) after which acquisition fails. */
  readonly deadline: number;
  readonly staleMs?: number;
}

type Done<T> = (error: NodeJS.ErrnoException | null, result?: T) => void;

function synchronously<T>(op: () => T, done: Done<T>): void {
  let result: T;
  try {
    result = op();
  } catch (error) {
    done(error as NodeJS.ErrnoException);
    return;
  }
  done(null, result);
}

/**
 * The file system proper-lockfile works through: its callback interface, done synchronously. A
 * lock taken and released is three system calls (mkdir, stat, rmdir); through the thread pool each
 * was also a round trip, and the cycle cost 1.5–2× the CPU (docs/performance.md, sixth round). The
 * gateway takes the lock many times a second. The same trade as the tail's stat (log-file.ts).
 * One object for the process, so proper-lockfile's probe of the mtime precision, cached on it, runs once.
 */
const directFs = {
  mkdir: (path: string, done: Done<void>) => synchronously(() => mkdirSync(path), done),
  stat: (path: string, done: Done<Stats>) => synchronously(() => statSync(path), done),
  rmdir: (path: string, done: Done<void>) => synchronously(() => rmdirSync(path), done),
  utimes: (path: string, atime: Date, mtime: Date, done: Done<void>) => synchronously(() => utimesSync(path, atime, mtime), done),
};

function lockTargetFor(auditPath: string): string {
  return dirname(auditPath);
}

/** Runs `fn` while holding the audit lock; rejects with AUDIT_LOCKED if the deadline passes first. */
export async function withAuditLock<T>(auditPath: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const release = await takeAuditLock(auditPath, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/**
 * Takes the audit lock for a holder that keeps it across several steps (the log writer between
 * batches); rejects with AUDIT_LOCKED if the deadline passes first. The function returned lets it
 * go and never rejects: a failed release only means the lock directory is already gone (reclaimed
 * as stale), and the work done under it is complete either way, so it is logged.
 */
export async function takeAuditLock(auditPath: string, options: LockOptions): Promise<() => Promise<void>> {
  const target = lockTargetFor(auditPath);
  const release = await acquire(target, options);
  return () => release().catch((error: unknown) => log.warn('audit lock release failed', { target, error: errorMessage(error) }));
}

async function acquire(target: string, options: LockOptions): Promise<() => Promise<void>> {
  let wait = 1;
  for (;;) {
    try {
      return await lockfile.lock(target, {
        stale: options.staleMs ?? DEFAULT_LOCK_STALE_MS,
        retries: 0,
        realpath: false,
        fs: directFs,
        onCompromised: (error) => log.error('audit lock compromised (held past its stale time)', { target, error: error.message }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        throw new ReaError('AUDIT_WRITE_FAILED', `Cannot take the audit lock ${target}.lock: ${errorMessage(error)}`, { cause: error });
      }
      const left = options.deadline - Date.now();
      if (left <= 0) {
        throw new ReaError(
          'AUDIT_LOCKED',
          `Audit lock ${target}.lock is held by another process; gave up waiting. If no rea process is running, it is reclaimed after ${Math.round((options.staleMs ?? DEFAULT_LOCK_STALE_MS) / 1000)} s`,
        );
      }
      await delay(Math.min(wait, left) + Math.random());
      wait = Math.min(wait * 2, 20);
    }
  }
}
