/**
 * One queued append, the queue the drain takes its batches from, and the one timer that bounds
 * them all. An append settles exactly once: written, failed with its batch, or timed out, whichever
 * comes first.
 */
import { ReaError } from '../errors.js';
import type { AuditInput, AuditRecord } from './record.js';

export interface PendingAppend {
  readonly input: AuditInput;
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: Error) => void;
  /** Date.now() after which it fails as timed out, and the timeout that set it (for the message). */
  readonly deadline: number;
  readonly timeoutMs: number;
  settled: boolean;
  /** Being written under the lock: a timeout now may still see the record reach the disk. */
  inFlight: boolean;
}

export class AppendQueue {
  private items: PendingAppend[] = [];

  get length(): number {
    return this.items.length;
  }

  push(p: PendingAppend): void {
    this.items.push(p);
  }

  remove(p: PendingAppend): void {
    this.items = this.items.filter((q) => q !== p);
  }

  /** The next batch: up to `max` appends not yet settled (timed out). */
  take(max: number): PendingAppend[] {
    return this.items.splice(0, max).filter((p) => !p.settled);
  }
}

/**
 * Under the lock, just before writing: drops appends that timed out while waiting for it (their
 * callers were told the write failed, so it must not land) and marks the rest in flight.
 */
export function startWriting(batch: readonly PendingAppend[]): PendingAppend[] {
  const live = batch.filter((p) => !p.settled);
  for (const p of live) p.inFlight = true;
  return live;
}

/** Resolves `p` with its written record, unless it already timed out. */
export function settlePending(p: PendingAppend, record: AuditRecord | undefined): void {
  if (p.settled) return;
  p.settled = true;
  if (record === undefined) p.reject(new ReaError('INTERNAL', 'audit batch returned fewer records than it was given'));
  else p.resolve(record);
}

/**
 * Every unsettled append and one timer for all of them: a timer per append (set and cleared for
 * every call) cost more than the rest of the append's bookkeeping. The timer fires at the earliest
 * deadline, expires whatever is due (queued or being written) and re-arms for the next; appends
 * that settle in time simply leave the set.
 */
export class AppendDeadlines {
  private readonly live = new Set<PendingAppend>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly expire: (p: PendingAppend) => void) {}

  watch(p: PendingAppend): void {
    this.live.add(p);
    if (p.deadline < this.armedFor) this.arm(p.deadline);
    else if (this.live.size === 1) this.timer?.ref();
  }

  /**
   * Called once an append has settled, however it did. The timer stays armed (re-arming it per
   * call is the cost this class saves) but stops holding the process open while nothing waits.
   */
  forget(p: PendingAppend): void {
    if (this.live.delete(p) && this.live.size === 0) this.timer?.unref();
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - Date.now()));
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const p of [...this.live]) {
      if (p.settled) this.live.delete(p);
      else if (p.deadline <= now) {
        this.live.delete(p);
        this.expire(p);
      } else if (p.deadline < next) next = p.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }
}
