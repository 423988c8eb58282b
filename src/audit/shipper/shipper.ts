/**
 * Ships every audit record to a collector as OTLP log records, at least once (issue 13). It follows
 * the log file, not the writer, so records appended by hooks, git gates and the CLI go too, and
 * nothing on the hot path waits for it. A batch is read after the durable cursor, exported, and
 * only once the collector acknowledges it does the cursor move. While the collector fails, export
 * pauses with a growing backoff; the log stays the source of truth and nothing is dropped from it.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { ExportResultCode } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { errorMessage } from '../../errors.js';
import { createLogger } from '../../observability/logger.js';
import { cursorPath, readCursor, writeCursor, type ShipCursor } from './cursor.js';
import { RecordFollower, type ChainLine } from './record-follower.js';
import { toLogRecord } from './log-records.js';

const log = createLogger('audit:ship');
/** A shipper killed while holding the cursor lock loses it after this long. */
const CURSOR_LOCK_STALE_MS = 5_000;
const FIRST_BACKOFF_MS = 250;

export type ShipperState = 'idle' | 'up' | 'paused' | 'stopped';

export interface ShipperOptions {
  readonly auditPath: string;
  readonly reaDir: string;
  readonly url: string;
  readonly exporter: LogRecordExporter;
  readonly resource: Resource;
  readonly batchRecords: number;
  readonly maxLagRecords: number;
  readonly pollMs: number;
  readonly maxBackoffMs: number;
  /** Lines the collector acknowledged (native-call spans and metrics are derived from them). */
  readonly onShipped?: (lines: readonly ChainLine[]) => void;
}

export interface ShipperStatus {
  readonly url: string;
  readonly state: ShipperState;
  readonly last_error: string | null;
  readonly cursor: { seq: number; hash: string } | null;
  readonly lag_records: number;
  readonly behind: boolean;
  readonly shipped: number;
  readonly cursor_problem: string | null;
}

/** What one round did: records acknowledged, or why it could not ship. */
export type RoundResult = { kind: 'shipped'; records: number } | { kind: 'caught_up' } | { kind: 'busy' } | { kind: 'failed'; error: string };

export class AuditShipper {
  private readonly follower: RecordFollower;
  private readonly cursorFile: string;
  private cursor: ShipCursor | undefined;
  private state: ShipperState = 'idle';
  private lastError: string | undefined;
  private cursorProblem: string | undefined;
  private shipped = 0;
  private failures = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;

  constructor(private readonly opts: ShipperOptions) {
    this.follower = new RecordFollower(opts.auditPath);
    this.cursorFile = cursorPath(opts.reaDir, opts.url);
  }

  /** Runs in the background until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /** New records were written: look now instead of at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.state = 'stopped';
    await this.opts.exporter.shutdown().catch(() => undefined);
  }

  /** Ships until caught up (`rea audit ship`); the first failure ends it. */
  async shipAll(deadlineMs = 60_000): Promise<{ shipped: number; error?: string }> {
    const until = Date.now() + deadlineMs;
    let total = 0;
    for (;;) {
      const round = await this.round();
      switch (round.kind) {
        case 'shipped':
          total += round.records;
          break;
        case 'caught_up':
          return { shipped: total };
        case 'failed':
          return { shipped: total, error: round.error };
        case 'busy':
          if (Date.now() > until) return { shipped: total, error: `another rea process holds the export cursor ${this.cursorFile}` };
          await this.pause(100);
          break;
        default: {
          const never: never = round;
          return never;
        }
      }
    }
  }

  status(): ShipperStatus {
    const seq = this.cursor?.seq ?? -1;
    const lag = Math.max(0, this.follower.headSeq - seq);
    return {
      url: this.opts.url,
      state: this.state,
      last_error: this.lastError ?? null,
      cursor: this.cursor === undefined ? null : { seq: this.cursor.seq, hash: this.cursor.hash },
      lag_records: lag,
      behind: lag > this.opts.maxLagRecords,
      shipped: this.shipped,
      cursor_problem: this.cursorProblem ?? null,
    };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.kicked = false;
      const round = await this.round().catch((error: unknown): RoundResult => ({ kind: 'failed', error: errorMessage(error) }));
      if (this.stopped) return;
      if (round.kind === 'shipped') continue;
      if (round.kind === 'failed') {
        this.failures += 1;
        await this.pause(Math.min(this.opts.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** Math.min(this.failures - 1, 16)), false);
      } else if (!this.kicked) await this.pause(this.opts.pollMs);
    }
  }

  /** One batch under the cursor lock: read after the cursor, export, move the cursor on acknowledgement. */
  async round(): Promise<RoundResult> {
    await mkdir(dirname(this.cursorFile), { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.cursorFile, { stale: CURSOR_LOCK_STALE_MS, retries: 0, realpath: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return { kind: 'busy' };
      throw error;
    }
    try {
      return await this.roundLocked();
    } finally {
      await release().catch(() => {
        // The lock was reclaimed as stale by another shipper; our cursor write already happened.
      });
    }
  }

  private async roundLocked(): Promise<RoundResult> {
    const read = await readCursor(this.cursorFile, this.opts.url);
    // The last problem stays in status after shipping recovered from it: the operator should see it.
    if (read.problem !== undefined && read.problem !== this.cursorProblem) {
      log.warn(read.problem);
      this.cursorProblem = read.problem;
    }
    if (read.cursor?.seq !== this.cursor?.seq || read.cursor?.hash !== this.cursor?.hash) this.follower.reset();
    this.cursor = read.cursor;
    const after = this.cursor === undefined ? undefined : { seq: this.cursor.seq, hash: this.cursor.hash };
    const batch = await this.follower.next(after, this.opts.batchRecords);
    await this.follower.readHead();
    if (batch.mismatch !== undefined) {
      log.warn(batch.mismatch);
      this.cursorProblem = batch.mismatch;
    }
    if (batch.lines.length === 0) {
      this.follower.commit(batch);
      if (this.state !== 'paused') this.state = this.shipped > 0 || this.cursor !== undefined ? 'up' : this.state;
      return { kind: 'caught_up' };
    }
    const error = await this.export(batch.lines);
    if (error !== undefined) {
      if (this.state !== 'paused') log.warn('audit export paused: the collector did not accept records', { url: this.opts.url, error });
      this.state = 'paused';
      this.lastError = error;
      return { kind: 'failed', error };
    }
    const last = batch.position?.after;
    if (last !== undefined) {
      this.cursor = { version: 1, endpoint: this.opts.url, seq: last.seq, hash: last.hash, updated_at: new Date().toISOString() };
      await writeCursor(this.cursorFile, this.cursor);
    }
    this.follower.commit(batch);
    if (this.state === 'paused') log.info('audit export resumed', { url: this.opts.url });
    this.state = 'up';
    this.failures = 0;
    this.shipped += batch.lines.length;
    this.opts.onShipped?.(batch.lines);
    return { kind: 'shipped', records: batch.lines.length };
  }

  /** Undefined once the collector acknowledged every record; otherwise why not. */
  private export(lines: readonly ChainLine[]): Promise<string | undefined> {
    const records = lines.map((line) => toLogRecord(line, this.opts.resource));
    return new Promise((resolve) => {
      this.opts.exporter.export(records, (result) => {
        if (result.code === ExportResultCode.SUCCESS) resolve(undefined);
        else resolve(describeFailure(result.error));
      });
    });
  }

  private pause(ms: number, wakeOnKick = true): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = wakeOnKick ? done : () => (this.stopped ? done() : undefined);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
  }
}

/** The exporters' HTTP errors carry the status code: show it (`HTTP 400 Bad Request`). */
function describeFailure(error: Error | undefined): string {
  if (error === undefined) return 'the collector refused the export';
  const status = (error as { code?: unknown }).code;
  return typeof status === 'number' ? `HTTP ${status} ${error.message}`.trim() : errorMessage(error);
}
