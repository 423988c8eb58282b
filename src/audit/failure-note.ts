/**
 * Remembers audit records that could not be written, so the failure itself lands in the chain as
 * soon as writing works again (issue 4: nothing is dropped silently). Bounded: it keeps counts
 * and the first calls' identities, not the records.
 */
import type { AuditInput } from './record.js';
import { WRITE_FAILED_TOOL_NAME, systemEvent } from './events.js';

const MAX_LISTED = 100;

interface LostRecord {
  readonly call_id?: string;
  readonly tool_name: string;
  readonly server_name: string;
  readonly phase?: string;
  readonly status?: string;
  /** `failed`: known not written; `timed_out`: the write was still in flight and may have landed. */
  readonly fate: 'failed' | 'timed_out';
}

export class FailureNote {
  private count = 0;
  private listed: LostRecord[] = [];
  private firstAt = '';
  private lastAt = '';
  private lastError = '';

  get pending(): number {
    return this.count;
  }

  add(input: AuditInput, fate: LostRecord['fate'], error: string): void {
    const now = new Date().toISOString();
    if (this.count === 0) this.firstAt = now;
    this.count += 1;
    this.lastAt = now;
    this.lastError = error;
    if (this.listed.length < MAX_LISTED) {
      this.listed.push({
        ...(input.call_id === undefined ? {} : { call_id: input.call_id }),
        tool_name: input.tool_name,
        server_name: input.server_name,
        ...(input.phase === undefined ? {} : { phase: input.phase }),
        ...(input.status === undefined ? {} : { status: input.status }),
        fate,
      });
    }
  }

  /** The record describing everything lost so far, or undefined when nothing was. */
  snapshot(): { input: AuditInput; count: number } | undefined {
    if (this.count === 0) return undefined;
    const input = systemEvent(
      WRITE_FAILED_TOOL_NAME,
      {
        lost_records: this.count,
        first_failure_at: this.firstAt,
        last_failure_at: this.lastAt,
        last_error: this.lastError,
        records: this.listed,
        records_truncated: this.count > this.listed.length,
      },
      'error',
    );
    return { input, count: this.count };
  }

  /** Forget the first `count` failures once their note is on disk. */
  clear(count: number): void {
    if (count >= this.count) {
      this.count = 0;
      this.listed = [];
      return;
    }
    this.count -= count;
    this.listed = this.listed.slice(Math.min(count, this.listed.length));
  }
}
