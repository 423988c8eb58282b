/**
 * The verifier's state machine over lines in chain order. It reports the first break with its
 * location and a reason; telling edited from inserted, deleted and reordered needs one record of
 * lookahead, so a suspected break is held until the next record arrives.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditRecord } from './record.js';
import { GENESIS_HASH } from './record.js';
import type { LineInfo } from './line-analyze.js';
import { seqOf } from './line-analyze.js';
import { isSignedHead, verifyHead } from './checkpoint.js';
import { keyId } from './keys.js';
import { RECOVERY_TOOL_NAME, CHECKPOINT_TOOL_NAME, RETENTION_TOOL_NAME, ROTATION_TOOL_NAME } from './events.js';

export type BreakReason =
  | 'edited' | 'deleted' | 'reordered' | 'inserted' | 'torn' | 'unparseable'
  | 'bad_signature' | 'rewritten' | 'truncated' | 'unsigned';

export interface Location {
  readonly file: string;
  /** 1-based line within the file. */
  readonly line: number;
  /** 1-based position among all lines walked. */
  readonly record: number;
}

export interface ChainBreak extends Location {
  readonly reason: BreakReason;
  readonly detail: string;
}

/** How the first record may start: at genesis only, or also at a rotation marker / a pruned file / anywhere. */
export type StartRule = 'genesis-or-marker' | 'genesis-or-retention' | 'any';

interface Suspect {
  readonly at: Location;
  readonly kind: 'self' | 'link';
  readonly seq: number | undefined;
  readonly prevSeq: number | undefined;
  readonly expectedBefore: string | undefined;
}

export class ChainWalker {
  firstBreak: ChainBreak | undefined;
  breaks = 0;
  readonly unparseable: (Location & { detail: string })[] = [];
  checkpointsVerified = 0;
  lastSignedSeq: number | undefined;
  headSeq: number | undefined;
  firstSeq: number | undefined;
  private expected: string | undefined;
  private alternative: string | undefined;
  private prevSeq: number | undefined;
  private suspect: Suspect | undefined;
  private started = false;
  private unexplainedStart: { at: Location; prev: string } | undefined;
  private readonly publicKeyId: string | undefined;

  constructor(private readonly startRule: StartRule, private readonly publicKey?: KeyObject) {
    this.publicKeyId = publicKey === undefined ? undefined : keyId(publicKey);
  }

  /** True when the next line must be parsed (a suspect waits for its successor's seq). */
  get needsRecord(): boolean {
    return this.suspect !== undefined || !this.started;
  }

  /** `reparse` gives the same line with its record parsed, for when a fast-path line turns out to matter. */
  onLine(lineInfo: LineInfo, at: Location, terminated: boolean, reparse: () => LineInfo): void {
    let info = lineInfo;
    if (this.suspect !== undefined) this.resolveSuspect(info);
    if (!terminated && info.kind !== 'unparseable') {
      // A complete record without its newline is still a cut-short write; the writer sets it aside.
      this.addBreak({ ...at, reason: 'torn', detail: 'the last line has no newline: the write was cut short' });
    }
    if (info.kind === 'ok' && info.record === undefined && this.started && info.prev !== this.expected && info.prev !== this.alternative) {
      info = reparse();
    }
    if (info.kind === 'unparseable') {
      this.unparseable.push({ ...at, detail: info.detail ?? 'unparseable' });
      this.addBreak({ ...at, reason: terminated ? 'unparseable' : 'torn', detail: info.detail ?? 'unparseable' });
      // The next record may chain from the last good record or, after recovery, from these bytes.
      this.alternative = info.hash;
      return;
    }
    const seq = seqOf(info.record);
    if (!this.started) this.start(info, at);
    else if (info.kind === 'mismatch') this.suspect = { at, kind: 'self', seq, prevSeq: this.prevSeq, expectedBefore: this.expected };
    else if (info.prev !== this.expected && info.prev !== this.alternative) {
      this.suspect = { at, kind: 'link', seq, prevSeq: this.prevSeq, expectedBefore: this.expected };
    }
    if (info.record !== undefined && info.isSystem) this.onSystemRecord(info.record, at);
    this.alternative = this.suspect?.at === at ? this.expected : undefined;
    this.expected = info.hash;
    this.prevSeq = seq ?? (this.prevSeq === undefined ? undefined : this.prevSeq + 1);
  }

  /** Call once after the last line; `end` is where a missing next record would be. */
  finish(lastRecord: AuditRecord | undefined, end: Location): void {
    if (this.suspect !== undefined) this.resolveSuspect(undefined);
    this.headSeq = seqOf(lastRecord);
    if (this.unexplainedStart !== undefined) {
      const start = this.unexplainedStart;
      this.breaks += 1;
      // It sits at the very start, so it is the first break whatever else was found.
      this.firstBreak = { ...start.at, reason: 'deleted', detail: `the chain starts from ${start.prev.slice(0, 12)}…, not from genesis: an earlier rotated file is missing` };
    }
    if (this.publicKey !== undefined && this.checkpointsVerified === 0) {
      this.addBreak({ ...end, reason: 'unsigned', detail: `no checkpoint signed by key ${this.publicKeyId} was found` });
    }
  }

  addBreak(b: ChainBreak): void {
    this.breaks += 1;
    // At the end of the log, the anchor's proof that records were removed says more than the mere
    // absence of a checkpoint (a log cut before its first checkpoint is both).
    const outranks = this.firstBreak?.reason === 'unsigned' && b.reason === 'truncated' && this.firstBreak.line === b.line;
    if (this.firstBreak === undefined || outranks) this.firstBreak = b;
  }

  private start(info: LineInfo, at: Location): void {
    this.started = true;
    this.firstSeq = seqOf(info.record);
    if (info.kind === 'mismatch') this.suspect = { at, kind: 'self', seq: this.firstSeq, prevSeq: undefined, expectedBefore: GENESIS_HASH };
    if (info.prev === GENESIS_HASH || this.startRule === 'any') return;
    if (this.startRule === 'genesis-or-marker' && info.record?.tool_name === ROTATION_TOOL_NAME) return;
    if (this.startRule === 'genesis-or-retention') this.unexplainedStart = { at, prev: info.prev ?? '' };
    // Held for one record: the next one tells a deleted first record from a reordered one.
    else this.suspect ??= { at, kind: 'link', seq: this.firstSeq, prevSeq: undefined, expectedBefore: GENESIS_HASH };
  }

  private resolveSuspect(next: LineInfo | undefined): void {
    const s = this.suspect;
    if (s === undefined) return;
    this.suspect = undefined;
    const nextLinksBefore = next !== undefined && next.kind !== 'unparseable' && next.prev === s.expectedBefore;
    const nextSeq = seqOf(next?.record);
    let reason: BreakReason;
    let detail: string;
    if (s.kind === 'self') {
      reason = nextLinksBefore ? 'inserted' : 'edited';
      detail = nextLinksBefore ? 'a record that does not belong to the chain was inserted' : 'the record content does not match its hash';
    } else if (nextLinksBefore) {
      reason = s.seq !== undefined && nextSeq !== undefined && s.seq > nextSeq ? 'reordered' : 'inserted';
      detail = reason === 'reordered' ? `record seq ${s.seq} appears before seq ${nextSeq}` : 'a record that does not belong to the chain was inserted';
    } else if (s.seq !== undefined && s.prevSeq !== undefined && s.seq <= s.prevSeq) {
      reason = 'reordered';
      detail = `record seq ${s.seq} follows seq ${s.prevSeq}`;
    } else {
      reason = 'deleted';
      detail = s.seq !== undefined && s.prevSeq !== undefined
        ? `prev_hash does not match the previous record; ${Math.max(1, s.seq - s.prevSeq - 1)} record(s) missing before seq ${s.seq}`
        : 'prev_hash does not match the previous record: records were deleted';
    }
    this.addBreak({ ...s.at, reason, detail });
  }

  private onSystemRecord(record: AuditRecord, at: Location): void {
    // The writer noticed the file shrink or vanish under it and chained on: the chain links, but
    // records were removed, so the log is not whole (THREAT_MODEL.md T11).
    const lost = record.tool_name === RECOVERY_TOOL_NAME ? record.metadata?.['reason'] : undefined;
    if (lost === 'log_truncated' || lost === 'log_missing') {
      const m = record.metadata ?? {};
      this.addBreak({
        ...at,
        reason: lost === 'log_truncated' ? 'truncated' : 'deleted',
        detail: `the writer found the log ${lost === 'log_truncated' ? `cut from ${String(m['expected_size'])} to ${String(m['actual_size'])} bytes` : 'removed'} while it was open; records before this line are missing`,
      });
      return;
    }
    if (record.tool_name === RETENTION_TOOL_NAME && this.unexplainedStart !== undefined) {
      if (record.metadata?.['oldest_kept_prev_hash'] === this.unexplainedStart.prev) this.unexplainedStart = undefined;
      return;
    }
    if (record.tool_name !== CHECKPOINT_TOOL_NAME || this.publicKey === undefined) return;
    const head = record.metadata?.['checkpoint'];
    if (!isSignedHead(head) || head.key_id !== this.publicKeyId || !verifyHead(this.publicKey, head)) {
      const who = isSignedHead(head) ? `key ${head.key_id}` : 'a malformed checkpoint';
      this.addBreak({ ...at, reason: 'bad_signature', detail: `checkpoint signature does not verify with key ${this.publicKeyId} (signed by ${who})` });
      return;
    }
    const seq = seqOf(record);
    if (head.head_hash !== record.prev_hash || (seq !== undefined && head.seq !== seq - 1)) {
      this.addBreak({ ...at, reason: 'rewritten', detail: `checkpoint signed seq ${head.seq} head ${head.head_hash.slice(0, 12)}…, but the chain there differs` });
      return;
    }
    this.checkpointsVerified += 1;
    this.lastSignedSeq = seq;
  }
}
