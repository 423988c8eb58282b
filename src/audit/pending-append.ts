/**
 * One queued append and the queue the drain takes its batches from. An append settles exactly
 * once: written, failed with its batch, or timed out (one timer for all, deadline-sweep.ts),
 * whichever comes first.
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
  /** Its place in the writer's deadline sweep while it waits (deadline-sweep.ts). */
  sweepSlot: number | undefined;
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
