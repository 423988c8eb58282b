/**
 * The audit log writer. Appends are queued and written in batches (group commit): every caller
 * waiting while a batch is on its way to disk joins the next one, which costs one lock, one write
 * and one fdatasync. Each append is bounded by `writeTimeoutMs` (one timer for all of them,
 * deadline-sweep.ts); a failure rejects with
 * AUDIT_WRITE_FAILED, is counted and logged, and is itself recorded once writing works again.
 */
import { resolve } from 'node:path';
import { ReaError, errorMessage, isReaError } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import type { AuditInput, AuditRecord } from './record.js';
import { buildRecord, encodeLines } from './record.js';
import { FailureNote } from './failure-note.js';
import { LogFile } from './log-file.js';
import { takeAuditLock } from './lock.js';
import type { RotationResult } from './rotation.js';
import { systemEvent } from './events.js';
import { checkpointInput, signHead } from './checkpoint.js';
import type { AuditObserver, CheckpointOptions, AuditLogOptions, AuditStats } from './log-options.js';
import { CheckpointSchedule } from './checkpoint-schedule.js';
import { LogRotator } from './log-rotator.js';
import { chainLines } from './chain-lines.js';
import type { ChainedLines } from './chain-lines.js';
import { AppendQueue, settlePending, startWriting } from './pending-append.js';
import { DeadlineSweep } from '../deadline-sweep.js';
import type { PendingAppend } from './pending-append.js';

// Re-exported so imports written against this module before the split keep working.
export type { AuditObserver, CheckpointOptions, AuditLogOptions, AuditStats } from './log-options.js';
export { MAX_RECORD_BYTES } from './chain-lines.js';

const log = createLogger('audit');
const MAX_BATCH = 1024;
/** Longest time one writer keeps the lock while appends keep arriving. */
const HOLD_MS = 20;
/**
 * After a batch, keep the lock this long for the next append: a gateway answering calls one after
 * another appends every millisecond or so, and taking and dropping the lock each time (mkdir,
 * stat, rmdir) would cost more than the fsync itself. Bounded by HOLD_MS overall.
 */
const LINGER_MS = 5;
/**
 * With relaxed durability nobody waits for the write, so while the lock lingers the writer gathers
 * what arrives (up to LINGER_MS, or this many records) into one write instead of writing each
 * record as it comes: under load that is one write syscall per batch instead of one per call.
 */
const GATHER_RECORDS = 256;
/**
 * Group commit for a durable log under concurrent calls: each durable write costs far more CPU
 * (most of it the kernel's, for the sync) than the records in it. When the last batch had company,
 * the next waits for as many records as that one had, but never longer than the last write took
 * nor this long, so the wait at most doubles what the write costs the first record; calls made one
 * at a time (batches of one) never wait.
 */
const COMPANY_WAIT_MAX_MS = 1;

/** What an unawaited append settles with: the writer has already counted and logged a failure. */
const ignoreRecord = (): void => undefined;

/** Logs open in this process, so one-shot appends join their queue instead of fighting for the lock. */
const openLogs = new Map<string, AuditLog>();

export class AuditLog {
  readonly path: string;
  private opts: AuditLogOptions;
  private readonly file: LogFile;
  private readonly queue = new AppendQueue();
  private readonly deadlines = new DeadlineSweep<PendingAppend>((p) => this.expire(p));
  /** The last durable batch: its size and how long its write took (group commit, COMPANY_WAIT_MAX_MS). */
  private lastBatch = { size: 0, writeMs: 0 };
  private draining = false;
  private drainDone: Promise<void> = Promise.resolve();
  /**
   * The audit lock while this writer keeps it between batches (HOLD_MS), and the timer that ends
   * the linger (LINGER_MS). Held in fields, not awaited in a long-lived async frame: a frame that
   * outlives a young-generation collection or two is promoted, and the batches it referenced last
   * are then kept alive, and promoted, by it until a full collection (docs/performance.md).
   */
  private held: { readonly release: () => Promise<void>; readonly since: number } | undefined;
  private releasing: Promise<void> = Promise.resolve();
  private lingerTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly failures = new FailureNote();
  private readonly rotator: LogRotator;
  private readonly checkpoints = new CheckpointSchedule();
  private counters = { appended: 0, failures: 0, batches: 0, rotations: 0, recoveries: 0, checkpoints: 0 };
  private lastError: { message: string; at: string } | undefined;
  private observer: AuditObserver | undefined;

  private constructor(path: string, options: AuditLogOptions) {
    this.path = path;
    this.opts = options;
    this.file = new LogFile(path);
    this.rotator = new LogRotator(this.file, () => {
      this.counters.rotations += 1;
    });
  }

  /**
   * Opens the log and recovers its tail (torn line, bad last record). Never throws for I/O: a log
   * that cannot be written yet reports through append() rejections and getStats().lastError.
   */
  static async open(path: string, options: AuditLogOptions): Promise<AuditLog> {
    const auditLog = new AuditLog(resolve(path), options);
    openLogs.set(auditLog.path, auditLog);
    auditLog.armCheckpointTimer();
    await auditLog.runBatch([]).catch((error: unknown) => auditLog.noteFailure([], error));
    await auditLog.release();
    return auditLog;
  }

  /** The log this process already has open at `path`, if any. */
  static find(path: string): AuditLog | undefined {
    return openLogs.get(resolve(path));
  }

  get options(): AuditLogOptions {
    return this.opts;
  }

  /** Hot reload: new durability, failure mode, timeout, rotation and checkpoint settings. */
  setOptions(options: AuditLogOptions): void {
    this.opts = options;
    this.armCheckpointTimer();
  }

  /** Tells `observer` of every batch written and every failure (telemetry, issue 13); undefined stops it. */
  observe(observer: AuditObserver | undefined): void {
    this.observer = observer;
  }

  /** Appends one record; resolves once it is on disk (after fdatasync when durable). */
  append(input: AuditInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new ReaError('AUDIT_WRITE_FAILED', `Audit log ${this.path} is closed`));
    return new Promise<AuditRecord>((resolve, reject) => this.enqueue(input, resolve, reject));
  }

  /**
   * Appends one record nobody waits for (a relaxed outcome record with telemetry off): no promise
   * per call. A failure is counted, logged and noted in the log as for any append; closed, it is
   * dropped the same way an `append` rejection would be ignored.
   */
  appendUnawaited(input: AuditInput): void {
    if (!this.closed) this.enqueue(input, ignoreRecord, ignoreRecord);
  }

  private enqueue(input: AuditInput, resolve: (record: AuditRecord) => void, reject: (error: Error) => void): void {
    const scrub = this.opts.scrub;
    const timeoutMs = this.opts.writeTimeoutMs ?? 2000;
    const pending: PendingAppend = {
      input: scrub ? scrub(input) : input,
      resolve,
      reject,
      deadline: Date.now() + timeoutMs,
      timeoutMs,
      settled: false,
      inFlight: false,
      sweepSlot: undefined,
    };
    this.deadlines.watch(pending);
    this.queue.push(pending);
    this.kick();
  }

  /** Forces a rotation now (`rea audit rotate`); an empty log is left alone. */
  rotateNow(): Promise<RotationResult> {
    return new Promise<RotationResult>((resolve, reject) => {
      this.rotator.request(resolve);
      this.append(systemEvent('rea.audit.rotate_requested', { by: 'operator' })).catch((error: unknown) => {
        this.rotator.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  getStats(): AuditStats {
    const tail = this.file.tail;
    return {
      path: this.path,
      ...this.counters,
      pendingFailureNotes: this.failures.pending,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError.message, lastErrorAt: this.lastError.at }),
      headSeq: tail?.seq ?? -1,
      ...(tail === undefined ? {} : { headHash: tail.hash }),
    };
  }

  /** Waits for queued appends, signs the head when checkpoints are on, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.(true);
    if (openLogs.get(this.path) === this) openLogs.delete(this.path);
    this.checkpoints.stop();
    if (!this.draining && this.queue.length > 0) this.startDrain();
    while (this.draining || this.queue.length > 0) await this.drainDone;
    if (this.checkpoints.isDue(this.opts.checkpoint, this.file.tail?.seq ?? -1, true)) {
      await this.runBatch([], true).catch((error: unknown) => this.noteFailure([], error));
    }
    clearTimeout(this.lingerTimer);
    await this.release();
    // Shutdown path: a failing sync here has already been reported by the appends it covered.
    await this.file.sync().catch(() => undefined);
    await this.file.close();
  }

  /** Wakes a durable batch waiting for company (withCompany); `force` also ends it when closing. */
  private wake: ((force?: boolean) => void) | undefined;

  private kick(): void {
    this.wake?.(false);
    if (this.draining) return;
    // Relaxed, lock lingering after a write: gather until the linger ends or GATHER_RECORDS wait.
    if (this.lingerTimer !== undefined && this.opts.durability === 'relaxed' && this.queue.length < GATHER_RECORDS) return;
    this.startDrain();
  }

  private startDrain(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.draining = true;
    this.drainDone = this.drain();
  }

  /**
   * Writes what is queued, one batch at a time, under the lock (lockedStep). A relaxed log writes
   * one batch and lets the linger gather the next (afterBatch); a durable one writes until the
   * queue is empty, each batch as soon as the last is on disk.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        if (batch.length === 0) continue;
        await this.lockedStep((revalidate) => this.writeQueued(batch, revalidate)).catch((error: unknown) => this.noteFailure(batch, error));
        if (this.opts.durability === 'relaxed' && !this.closed) break;
      }
    } finally {
      this.draining = false;
      this.afterBatch();
    }
  }

  /** One batch of queued appends under the lock: waits for company (durable), writes, settles each. */
  private async writeQueued(queued: PendingAppend[], revalidate: boolean): Promise<void> {
    const live = startWriting(await this.withCompany(queued));
    const writeStart = performance.now();
    const records = await this.batchLocked(live.map((p) => p.input), false, revalidate);
    this.lastBatch = { size: live.length, writeMs: performance.now() - writeStart };
    live.forEach((p, i) => {
      settlePending(p, records[i]);
      this.deadlines.forget(p);
    });
  }

  /**
   * Runs `step` holding the audit lock: the one this writer kept from its last batch while HOLD_MS
   * has not passed (revalidate false: nobody else wrote meanwhile), or a new one (revalidate true:
   * the tail is read again). A failed step lets the lock go, so the next one starts afresh.
   */
  private async lockedStep<T>(step: (revalidate: boolean) => Promise<T>): Promise<T> {
    // The deadline counts from when the step was asked for, not from when an earlier release finished.
    const lockOptions = this.lockOptions();
    if (this.held !== undefined && Date.now() - this.held.since >= HOLD_MS) await this.release();
    let revalidate = false;
    if (this.held === undefined) {
      await this.releasing;
      this.held = { release: await takeAuditLock(this.path, lockOptions), since: Date.now() };
      revalidate = true;
    }
    try {
      return await step(revalidate);
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /**
   * After a batch: keep the lock up to LINGER_MS for the next append (never past HOLD_MS); then
   * write what gathered meanwhile or, with nothing queued, let the lock go.
   */
  private afterBatch(): void {
    // Durable appends that came while the lock was busy elsewhere (a checkpoint) wait for nothing.
    if (this.queue.length > 0 && this.opts.durability !== 'relaxed' && !this.draining) return this.startDrain();
    // A checkpoint written while the lock lingered leaves that linger's timer set: one timer at a time.
    clearTimeout(this.lingerTimer);
    const left = this.held === undefined || this.closed ? 0 : Math.min(LINGER_MS, HOLD_MS - (Date.now() - this.held.since));
    if (left > 0) this.lingerTimer = setTimeout(this.lingerEnded, left);
    else this.lingerEnded();
  }

  private readonly lingerEnded = (): void => {
    this.lingerTimer = undefined;
    if (this.draining) return;
    if (this.queue.length > 0) this.startDrain();
    else void this.release();
  };

  /** Lets the lock go: another process's turn. */
  private release(): Promise<void> {
    const held = this.held;
    if (held === undefined) return this.releasing;
    this.held = undefined;
    this.releasing = held.release();
    return this.releasing;
  }

  /** A durable batch after one that had company: first wait briefly for as many records (COMPANY_WAIT_MAX_MS). */
  private async withCompany(batch: PendingAppend[]): Promise<PendingAppend[]> {
    const want = this.lastBatch.size;
    if (this.opts.durability === 'relaxed' || want <= 1 || batch.length >= want || this.closed) return batch;
    const ms = Math.min(COMPANY_WAIT_MAX_MS, this.lastBatch.writeMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = (force) => {
        if (force || batch.length + this.queue.length >= want) done();
      };
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
    return this.queue.length === 0 ? batch : batch.concat(this.queue.take(MAX_BATCH - batch.length));
  }

  private take(): PendingAppend[] {
    return this.queue.take(MAX_BATCH);
  }

  private lockOptions(): { deadline: number; staleMs?: number } {
    const deadline = Date.now() + (this.opts.writeTimeoutMs ?? 2000);
    return this.opts.lockStaleMs === undefined ? { deadline } : { deadline, staleMs: this.opts.lockStaleMs };
  }

  private expire(p: PendingAppend): void {
    this.deadlines.forget(p);
    if (p.settled) return;
    p.settled = true;
    const message = `Audit write to ${this.path} timed out after ${p.timeoutMs} ms (disk hung or audit lock held elsewhere)`;
    this.queue.remove(p);
    this.failures.add(p.input, p.inFlight ? 'timed_out' : 'failed', message);
    this.recordError(message);
    p.reject(new ReaError('AUDIT_WRITE_FAILED', message));
  }

  private noteFailure(batch: readonly PendingAppend[], error: unknown): void {
    const message = isReaError(error) ? error.message : `Cannot write audit log ${this.path}: ${errorMessage(error)}`;
    this.recordError(message);
    const now = Date.now();
    for (const p of batch) {
      // The lock gives up at the batch's deadline, which can come a tick before the sweep's timer:
      // an append past its deadline fails as timed out either way, not by whichever timer ran first.
      if (!p.settled && now >= p.deadline) this.expire(p);
      this.deadlines.forget(p);
      if (p.settled) continue;
      p.settled = true;
      this.failures.add(p.input, 'failed', message);
      p.reject(isReaError(error, 'AUDIT_WRITE_FAILED') ? error : new ReaError('AUDIT_WRITE_FAILED', message, { cause: error }));
    }
  }

  private recordError(message: string): void {
    this.counters.failures += 1;
    this.lastError = { message, at: new Date().toISOString() };
    this.observer?.failed(message);
    log.error('audit write failed', { path: this.path, error: message, failures: this.counters.failures });
  }

  /** One locked round: revalidate the tail, rotate if due, write the batch, sign if due. */
  private runBatch(inputs: readonly AuditInput[], forceCheckpoint = false): Promise<AuditRecord[]> {
    return this.lockedStep((revalidate) => this.batchLocked(inputs, forceCheckpoint, revalidate));
  }

  /** Under the lock. The tail is revalidated once per lock hold: while we hold it, nobody else writes. */
  private async batchLocked(inputs: readonly AuditInput[], forceCheckpoint: boolean, revalidate: boolean): Promise<AuditRecord[]> {
    const notes = revalidate ? await this.file.revalidate() : [];
    this.counters.recoveries += notes.length;
    for (const note of notes) log.warn('audit log recovered', { path: this.path, ...note.metadata });
    await this.rotator.rotateIfDue(this.opts.rotation, notes, (batch) => this.chain(batch));
    const failureNote = this.failures.snapshot();
    const prefix = failureNote === undefined ? notes : [...notes, failureNote.input];
    if (inputs.length === 0 && prefix.length === 0 && !forceCheckpoint && !this.checkpoints.isDue(this.opts.checkpoint, this.file.tail?.seq ?? -1)) return [];
    const { built, records, hash, seq } = this.chain(prefix.length === 0 ? inputs : [...prefix, ...inputs]);
    const out: AuditRecord[] = records.slice(prefix.length);
    let head = { hash, seq };
    const checkpoint = this.opts.checkpoint;
    if (checkpoint !== undefined && seq >= 0 && this.checkpoints.isDue(checkpoint, seq, forceCheckpoint)) {
      const signed = signHead(checkpoint.key, seq, hash);
      const signature = buildRecord(checkpointInput(signed), hash, seq + 1, this.opts.sessionId);
      built.push(signature);
      records.push(signature.record);
      head = { hash: signature.record.hash, seq: seq + 1 };
    }
    if (built.length === 0) return out;
    const writeStart = this.observer === undefined ? 0 : performance.now();
    await this.file.writeLines(encodeLines(built), head.hash, head.seq, (this.opts.durability ?? 'durable') === 'durable');
    this.observer?.appended(records, performance.now() - writeStart);
    this.counters.batches += 1;
    this.counters.appended += inputs.length;
    if (failureNote !== undefined) this.failures.clear(failureNote.count);
    if (head.seq !== seq && checkpoint !== undefined) {
      this.counters.checkpoints += 1;
      await this.checkpoints.signed(checkpoint, head, this.path);
    }
    return out;
  }

  private chain(inputs: readonly AuditInput[]): ChainedLines {
    return chainLines(this.file.tail, inputs, this.opts.sessionId);
  }

  /** Signs a log gone quiet with records unsigned, unless a drain is running (it signs when due). */
  private armCheckpointTimer(): void {
    this.checkpoints.arm(this.opts.checkpoint, (cp: CheckpointOptions) => {
      if (this.closed || this.draining || !this.checkpoints.isQuietDue(cp, this.file.tail?.seq ?? -1)) return;
      this.draining = true;
      this.runBatch([], true)
        .catch((error: unknown) => this.noteFailure([], error))
        .finally(() => {
          this.draining = false;
          this.afterBatch();
        });
    });
  }
}
