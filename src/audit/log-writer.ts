/**
 * The audit log writer. Appends are queued and written in batches (group commit): every caller
 * waiting while a batch is on its way to disk joins the next one, which costs one lock, one write
 * and one fdatasync. Each append is bounded by `writeTimeoutMs`; a failure rejects with
 * AUDIT_WRITE_FAILED, is counted and logged, and is itself recorded once writing works again.
 */
import type { KeyObject } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { ReaError, errorMessage, isReaError } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import type { AuditInput, AuditRecord } from './record.js';
import { buildRecord, sha256Hex } from './record.js';
import { FailureNote } from './failure-note.js';
import { LogFile } from './log-file.js';
import { withAuditLock } from './lock.js';
import { isRotationDue, oldestRotatedStart, pruneRotated, rotationMarker } from './rotation.js';
import type { RotationOptions, RotationResult } from './rotation.js';
import { RETENTION_TOOL_NAME, systemEvent } from './events.js';
import { checkpointInput, signHead, writeAnchor } from './checkpoint.js';
import { keyId } from './keys.js';

const log = createLogger('audit');
const MAX_BATCH = 1024;
/** Longest time one writer keeps the lock while appends keep arriving. */
const HOLD_MS = 20;
/**
 * After the queue empties, keep the lock this long for the next append: a gateway answering calls
 * one after another appends every millisecond or so, and taking and dropping the lock each time
 * (mkdir, stat, rmdir) would cost more than the fsync itself. Bounded by HOLD_MS overall.
 */
const LINGER_MS = 5;
/** A record line above this size keeps a digest of its metadata instead of the metadata itself. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface CheckpointOptions {
  /** Ed25519 private key (see `rea audit keygen`); checkpoints are off without one. */
  readonly key: KeyObject;
  /** Sign after this many records (default 1000). */
  readonly everyRecords?: number;
  /** Sign at least this often while records arrive (default 60 s). */
  readonly everyMs?: number;
  /** Where the latest signed head is written (default `<dir>/audit.anchor.json`). */
  readonly anchorPath?: string;
}

export interface AuditLogOptions {
  /** session_id for records that do not name one. */
  readonly sessionId: string;
  /** `durable` (default): an append resolves only after fdatasync. `relaxed`: after write(). */
  readonly durability?: 'durable' | 'relaxed';
  /** What callers should do when a record cannot be written (read by the chain stage). */
  readonly onFailure?: 'deny' | 'allow';
  /** Upper bound for one append, lock wait included (default 2000 ms). */
  readonly writeTimeoutMs?: number;
  readonly rotation?: RotationOptions;
  readonly checkpoint?: CheckpointOptions;
  /** Lock age after which another process's lock is treated as abandoned (default 10 s, as rea 0.4). */
  readonly lockStaleMs?: number;
}

export interface AuditStats {
  readonly path: string;
  readonly appended: number;
  readonly failures: number;
  /** Failures not yet recorded in the chain. */
  readonly pendingFailureNotes: number;
  readonly batches: number;
  readonly rotations: number;
  readonly recoveries: number;
  readonly checkpoints: number;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly headSeq: number;
  readonly headHash?: string;
}

interface Pending {
  readonly input: AuditInput;
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  inFlight: boolean;
}

/** Logs open in this process, so one-shot appends join their queue instead of fighting for the lock. */
const openLogs = new Map<string, AuditLog>();

export class AuditLog {
  readonly path: string;
  private opts: AuditLogOptions;
  private readonly file: LogFile;
  private queue: Pending[] = [];
  private draining = false;
  private drainDone: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly failures = new FailureNote();
  private forceRotation: ((result: RotationResult) => void) | undefined;
  private lastCheckpointSeq = -1;
  private lastCheckpointAt = Date.now();
  private checkpointTimer: NodeJS.Timeout | undefined;
  private counters = { appended: 0, failures: 0, batches: 0, rotations: 0, recoveries: 0, checkpoints: 0 };
  private lastError: { message: string; at: string } | undefined;

  private constructor(path: string, options: AuditLogOptions) {
    this.path = path;
    this.opts = options;
    this.file = new LogFile(path);
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

  /** Appends one record; resolves once it is on disk (after fdatasync when durable). */
  append(input: AuditInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new ReaError('AUDIT_WRITE_FAILED', `Audit log ${this.path} is closed`));
    return new Promise<AuditRecord>((resolve, reject) => {
      const pending: Pending = { input, resolve, reject, timer: undefined, settled: false, inFlight: false };
      const timeoutMs = this.opts.writeTimeoutMs ?? 2000;
      pending.timer = setTimeout(() => this.expire(pending, timeoutMs), timeoutMs);
      this.queue.push(pending);
      this.kick();
    });
  }

  /** Forces a rotation now (`rea audit rotate`); an empty log is left alone. */
  rotateNow(): Promise<RotationResult> {
    return new Promise<RotationResult>((resolve, reject) => {
      this.forceRotation = resolve;
      this.append(systemEvent('rea.audit.rotate_requested', { by: 'operator' })).catch((error: unknown) => {
        this.forceRotation = undefined;
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
    this.wake?.();
    if (openLogs.get(this.path) === this) openLogs.delete(this.path);
    if (this.checkpointTimer !== undefined) clearInterval(this.checkpointTimer);
    while (this.draining || this.queue.length > 0) await this.drainDone;
    if (this.isCheckpointDue(this.file.tail?.seq ?? -1, true)) {
      await this.runBatch([], true).catch((error: unknown) => this.noteFailure([], error));
    }
    // Shutdown path: a failing sync here has already been reported by the appends it covered.
    await this.file.sync().catch(() => undefined);
    await this.file.close();
  }

  /** Wakes a drain that lingers with the lock held. */
  private wake: (() => void) | undefined;

  private kick(): void {
    this.wake?.();
    if (this.draining) return;
    this.draining = true;
    this.drainDone = this.drain();
  }

  /**
   * Takes the lock once and keeps it while appends keep coming (up to HOLD_MS), so a busy writer
   * pays for lock, unlock and tail revalidation once per hold instead of once per batch; other
   * processes get their turn at least every HOLD_MS.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        let batch = this.take();
        if (batch.length === 0) continue;
        try {
          await withAuditLock(this.path, this.lockOptions(), async () => {
            const heldSince = Date.now();
            let revalidate = true;
            for (;;) {
              const records = await this.batchLocked(batch.map((p) => p.input), false, revalidate);
              revalidate = false;
              batch.forEach((p, i) => this.settle(p, records[i]));
              if (this.queue.length === 0) await this.lingerForMore(Math.min(LINGER_MS, HOLD_MS - (Date.now() - heldSince)));
              if (this.queue.length === 0 || Date.now() - heldSince >= HOLD_MS) return;
              batch = this.take();
              if (batch.length === 0) return;
            }
          });
        } catch (error) {
          this.noteFailure(batch, error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Wait (lock held) until another append arrives or `ms` pass; closing stops the wait at once. */
  private lingerForMore(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private take(): Pending[] {
    const batch = this.queue.splice(0, MAX_BATCH).filter((p) => !p.settled);
    for (const p of batch) p.inFlight = true;
    return batch;
  }

  private lockOptions(): { deadline: number; staleMs?: number } {
    const deadline = Date.now() + (this.opts.writeTimeoutMs ?? 2000);
    return this.opts.lockStaleMs === undefined ? { deadline } : { deadline, staleMs: this.opts.lockStaleMs };
  }

  private settle(p: Pending, record: AuditRecord | undefined): void {
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (p.settled) return;
    p.settled = true;
    if (record === undefined) p.reject(new ReaError('INTERNAL', 'audit batch returned fewer records than it was given'));
    else p.resolve(record);
  }

  private expire(p: Pending, timeoutMs: number): void {
    if (p.settled) return;
    p.settled = true;
    const message = `Audit write to ${this.path} timed out after ${timeoutMs} ms (disk hung or audit lock held elsewhere)`;
    this.queue = this.queue.filter((q) => q !== p);
    this.failures.add(p.input, p.inFlight ? 'timed_out' : 'failed', message);
    this.recordError(message);
    p.reject(new ReaError('AUDIT_WRITE_FAILED', message));
  }

  private noteFailure(batch: readonly Pending[], error: unknown): void {
    const message = isReaError(error) ? error.message : `Cannot write audit log ${this.path}: ${errorMessage(error)}`;
    this.recordError(message);
    for (const p of batch) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      if (p.settled) continue;
      p.settled = true;
      this.failures.add(p.input, 'failed', message);
      p.reject(isReaError(error, 'AUDIT_WRITE_FAILED') ? error : new ReaError('AUDIT_WRITE_FAILED', message, { cause: error }));
    }
  }

  private recordError(message: string): void {
    this.counters.failures += 1;
    this.lastError = { message, at: new Date().toISOString() };
    log.error('audit write failed', { path: this.path, error: message, failures: this.counters.failures });
  }

  /** One locked round: revalidate the tail, rotate if due, write the batch, sign if due. */
  private runBatch(inputs: readonly AuditInput[], forceCheckpoint = false): Promise<AuditRecord[]> {
    return withAuditLock(this.path, this.lockOptions(), () => this.batchLocked(inputs, forceCheckpoint, true));
  }

  /** Under the lock. The tail is revalidated once per lock hold: while we hold it, nobody else writes. */
  private async batchLocked(inputs: readonly AuditInput[], forceCheckpoint: boolean, revalidate: boolean): Promise<AuditRecord[]> {
    {
      const notes = revalidate ? await this.file.revalidate() : [];
      this.counters.recoveries += notes.length;
      for (const note of notes) log.warn('audit log recovered', { path: this.path, ...note.metadata });
      await this.rotateIfDue(notes);
      const failureNote = this.failures.snapshot();
      const prefix = failureNote === undefined ? notes : [...notes, failureNote.input];
      if (inputs.length === 0 && prefix.length === 0 && !forceCheckpoint && !this.isCheckpointDue(this.file.tail?.seq ?? -1)) return [];
      const { lines, records, hash, seq } = this.chain([...prefix, ...inputs]);
      const out: AuditRecord[] = records.slice(prefix.length);
      let head = { hash, seq };
      const checkpoint = this.opts.checkpoint;
      if (checkpoint !== undefined && seq >= 0 && this.isCheckpointDue(seq, forceCheckpoint)) {
        const signed = signHead(checkpoint.key, seq, hash);
        const built = buildRecord(checkpointInput(signed), hash, seq + 1, this.opts.sessionId);
        lines.push(built.line);
        head = { hash: built.record.hash, seq: seq + 1 };
      }
      if (lines.length === 0) return out;
      await this.file.writeLines(`${lines.join('\n')}\n`, head.hash, head.seq, (this.opts.durability ?? 'durable') === 'durable');
      this.counters.batches += 1;
      this.counters.appended += inputs.length;
      if (failureNote !== undefined) this.failures.clear(failureNote.count);
      if (head.seq !== seq && checkpoint !== undefined) await this.afterCheckpoint(checkpoint, head);
      return out;
    }
  }

  private chain(inputs: readonly AuditInput[]): { lines: string[]; records: AuditRecord[]; hash: string; seq: number } {
    const tail = this.file.tail;
    let hash = tail?.hash ?? '';
    let seq = tail?.seq ?? -1;
    const lines: string[] = [];
    const records: AuditRecord[] = [];
    for (const input of inputs) {
      seq += 1;
      const built = buildSafely(input, hash, seq, this.opts.sessionId);
      lines.push(built.line);
      records.push(built.record);
      hash = built.record.hash;
    }
    return { lines, records, hash, seq };
  }

  private async rotateIfDue(notes: AuditInput[]): Promise<void> {
    const forced = this.forceRotation;
    const tail = this.file.tail;
    if (tail === undefined) return;
    const now = new Date();
    const rotation = this.opts.rotation;
    const firstMs = rotation?.maxAgeDays === undefined || tail.size === 0 ? undefined : await this.file.firstRecordTime();
    const due = forced !== undefined ? tail.size > 0 : isRotationDue(tail.size, firstMs, rotation, now.getTime());
    if (!due) {
      if (forced !== undefined) {
        this.forceRotation = undefined;
        forced({ rotated: false });
      }
      return;
    }
    this.forceRotation = undefined;
    if (notes.length > 0) {
      // Recovery records describe the old file: write them there before it is renamed.
      const chained = this.chain(notes);
      await this.file.writeLines(`${chained.lines.join('\n')}\n`, chained.hash, chained.seq, true);
      notes.length = 0;
    }
    const rotatedName = await this.file.rotate(now);
    const marker = this.chain([rotationMarker(rotatedName, now)]);
    await this.file.writeLines(`${marker.lines.join('\n')}\n`, marker.hash, marker.seq, true);
    this.counters.rotations += 1;
    const pruned = await pruneRotated(dirname(this.path), rotation?.retain);
    if (pruned.length > 0) {
      // Names the hash the oldest kept file starts from, so `verify --all` can tell pruning from deletion.
      const oldest = await oldestRotatedStart(dirname(this.path));
      notes.push(systemEvent(RETENTION_TOOL_NAME, { pruned, retain: rotation?.retain, oldest_kept: oldest?.name ?? rotatedName, oldest_kept_prev_hash: oldest?.prevHash ?? null }));
    }
    log.info('audit log rotated', { path: this.path, rotatedTo: rotatedName, pruned });
    const rotatedTo = join(dirname(this.path), rotatedName);
    forced?.(pruned.length > 0 ? { rotated: true, rotatedTo, pruned } : { rotated: true, rotatedTo });
  }

  /** A checkpoint is due after `everyRecords` records or `everyMs` with unsigned records. */
  private isCheckpointDue(headSeq: number, anyUnsigned = false): boolean {
    const cp = this.opts.checkpoint;
    if (cp === undefined || headSeq <= this.lastCheckpointSeq) return false;
    if (anyUnsigned || headSeq - this.lastCheckpointSeq >= (cp.everyRecords ?? 1000)) return true;
    return Date.now() - this.lastCheckpointAt >= (cp.everyMs ?? 60_000);
  }

  private async afterCheckpoint(cp: CheckpointOptions, head: { hash: string; seq: number }): Promise<void> {
    this.counters.checkpoints += 1;
    this.lastCheckpointSeq = head.seq;
    this.lastCheckpointAt = Date.now();
    const anchorPath = cp.anchorPath ?? join(dirname(this.path), 'audit.anchor.json');
    const signed = signHead(cp.key, head.seq, head.hash);
    try {
      await writeAnchor(anchorPath, { version: 1, ...signed, file: basename(this.path) });
    } catch (error) {
      // The checkpoint record itself is in the chain; a missing anchor only weakens truncation
      // detection, so it is reported rather than failing the callers' appends.
      log.error('audit anchor write failed', { anchorPath, keyId: keyId(cp.key), error: errorMessage(error) });
    }
  }

  private armCheckpointTimer(): void {
    if (this.checkpointTimer !== undefined) clearInterval(this.checkpointTimer);
    this.checkpointTimer = undefined;
    const cp = this.opts.checkpoint;
    if (cp === undefined) return;
    this.checkpointTimer = setInterval(() => {
      if (this.closed || this.draining || (this.file.tail?.seq ?? -1) <= this.lastCheckpointSeq) return;
      if (Date.now() - this.lastCheckpointAt < (cp.everyMs ?? 60_000)) return;
      this.draining = true;
      this.runBatch([], true)
        .catch((error: unknown) => this.noteFailure([], error))
        .finally(() => {
          this.draining = false;
          if (this.queue.length > 0) this.kick();
        });
    }, Math.max(1000, Math.floor((cp.everyMs ?? 60_000) / 2)));
    this.checkpointTimer.unref();
  }
}

/**
 * One bad input must not fail the batch it shares with others: unserialisable metadata (a BigInt,
 * a cycle) and oversized metadata are replaced by a note saying so; the record itself is kept.
 */
function buildSafely(input: AuditInput, prevHash: string, seq: number, sessionId: string): ReturnType<typeof buildRecord> {
  let built: ReturnType<typeof buildRecord>;
  try {
    built = buildRecord(input, prevHash, seq, sessionId);
  } catch (error) {
    return buildRecord({ ...input, metadata: { metadata_unserializable: errorMessage(error) } }, prevHash, seq, sessionId);
  }
  if (built.line.length <= MAX_RECORD_BYTES || input.metadata === undefined) return built;
  const json = JSON.stringify(input.metadata);
  const replaced = { metadata_truncated: true, metadata_bytes: Buffer.byteLength(json), metadata_sha256: sha256Hex(json) };
  return buildRecord({ ...input, metadata: replaced }, prevHash, seq, sessionId);
}
