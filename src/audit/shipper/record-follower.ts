/**
 * Reads the audit chain after a cursor, across rotations, in chain order: rotated files oldest
 * first, then `audit.jsonl`. It remembers where it stopped by file identity (inode) and byte
 * offset, so following a growing log costs only the new bytes; a rotation renames the file, so
 * the same inode and offset continue in the rotated file. Only complete lines are read.
 */
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditRecord } from '../record.js';
import { listRotated } from '../rotation.js';

/** One line of the log as written, and what the cursor needs of it. */
export interface ChainLine {
  readonly line: string;
  /** Undefined for a line that does not parse (it is shipped as it is). */
  readonly record: AuditRecord | undefined;
  readonly seq: number;
  readonly hash: string | undefined;
}

export interface After {
  readonly seq: number;
  readonly hash: string;
}

export interface FollowBatch {
  readonly lines: readonly ChainLine[];
  /** Set when the cursor's record is in the log with another hash: the batch starts from the oldest record. */
  readonly mismatch?: string;
  /** Where reading stopped; hand it back to `commit` once the batch is acknowledged. */
  readonly position: Position | undefined;
  /** The cursor's record has not been passed yet. */
  readonly stillSkipping: boolean;
}

interface Position {
  readonly path: string;
  readonly ino: number;
  readonly offset: number;
  readonly after: After;
}

const CHUNK = 256 * 1024;
/** Read from the end of the log for its last seq; a record longer than this leaves the lag as it was. */
const TAIL_BYTES = 64 * 1024;

export class RecordFollower {
  private position: Position | undefined;
  /** Highest seq seen in the log so far (for the lag). */
  headSeq = -1;

  constructor(private readonly auditPath: string) {}

  /** Up to `max` complete lines after `after` (from the oldest record when undefined). */
  async next(after: After | undefined, max: number): Promise<FollowBatch> {
    const resumed = await this.resume(after);
    if (resumed !== undefined) {
      const batch = await this.readFrom(resumed.path, resumed.ino, resumed.offset, after, max, true);
      // At the end of a rotated file the chain continues in the next one: find it by seq.
      if (batch.lines.length > 0 || resumed.path === this.auditPath) return batch;
    }
    return this.locate(after, max);
  }

  /** Learns the seq of the log's last complete record (for the lag), reading only the file's end. */
  async readHead(): Promise<void> {
    const fh = await open(this.auditPath, 'r').catch(() => undefined);
    if (fh === undefined) return;
    try {
      const { size } = await fh.stat();
      const length = Math.min(size, TAIL_BYTES);
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, size - length);
      const lines = buf.toString('utf8').split('\n');
      lines.pop();
      // With the whole window one line, its start was cut off.
      const last = lines.length > (length < size ? 1 : 0) ? lines.at(-1) : undefined;
      if (last === undefined) return;
      const seq = (JSON.parse(last) as { seq?: unknown }).seq;
      if (typeof seq === 'number' && seq > this.headSeq) this.headSeq = seq;
    } catch {
      // A torn or foreign last line: the lag is refreshed at the next round.
    } finally {
      await fh.close();
    }
  }

  /** The batch was acknowledged (or held nothing new): the next read continues after it. */
  commit(batch: FollowBatch): void {
    if (batch.position !== undefined) this.position = batch.position;
  }

  /** Forget the remembered position (the cursor was changed by someone else). */
  reset(): void {
    this.position = undefined;
  }

  private async resume(after: After | undefined): Promise<{ path: string; ino: number; offset: number } | undefined> {
    const p = this.position;
    if (p === undefined || after === undefined || p.after.seq !== after.seq || p.after.hash !== after.hash) return undefined;
    for (const path of [p.path, this.auditPath, ...(await this.rotatedNewestFirst())]) {
      const info = await stat(path).catch(() => undefined);
      if (info?.ino === p.ino && info.size >= p.offset) return { path, ino: p.ino, offset: p.offset };
    }
    return undefined;
  }

  /** Finds the file holding the record after `after` by each file's first seq, then reads on. */
  private async locate(after: After | undefined, max: number): Promise<FollowBatch> {
    const files = await this.chainFiles();
    let start = 0;
    if (after !== undefined) {
      for (let i = files.length - 1; i >= 0; i -= 1) {
        const first = await firstSeq(files[i]!);
        if (first !== undefined && first <= after.seq) {
          start = i;
          break;
        }
      }
    }
    const collected: ChainLine[] = [];
    let skipping = after !== undefined;
    let position: Position | undefined;
    for (let i = start; i < files.length && collected.length < max; i += 1) {
      const path = files[i]!;
      const info = await stat(path).catch(() => undefined);
      if (info === undefined) continue;
      const batch = await this.readFrom(path, info.ino, 0, after, max - collected.length, skipping);
      if (batch.mismatch !== undefined) return this.fromOldest(max, batch.mismatch);
      skipping = batch.stillSkipping;
      collected.push(...batch.lines);
      position = batch.position ?? position;
    }
    return { lines: collected, position, stillSkipping: skipping };
  }

  private async fromOldest(max: number, mismatch: string): Promise<FollowBatch> {
    const batch = await this.locate(undefined, max);
    return { ...batch, mismatch };
  }

  /**
   * Reads complete lines from `offset`. With `skipping`, lines up to and including the cursor's
   * record are passed over: a record after the cursor's seq without it means earlier files were
   * pruned, and reading starts there (never past a record not yet shipped).
   */
  private async readFrom(path: string, ino: number, offset: number, after: After | undefined, max: number, skipping: boolean): Promise<FollowBatch> {
    const fh = await open(path, 'r').catch(() => undefined);
    if (fh === undefined) return { lines: [], position: undefined, stillSkipping: skipping };
    const lines: ChainLine[] = [];
    let skip = skipping && after !== undefined;
    let pos = offset;
    let prevSeq = after?.seq ?? -1;
    let last: After | undefined;
    try {
      const buf = Buffer.alloc(CHUNK);
      let carry = Buffer.alloc(0);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK, pos + carry.length);
        if (bytesRead === 0) break;
        let data = Buffer.concat([carry, buf.subarray(0, bytesRead)]);
        let nl = data.indexOf(0x0a);
        while (nl !== -1 && lines.length < max) {
          const text = data.toString('utf8', 0, nl);
          pos += nl + 1;
          data = data.subarray(nl + 1);
          nl = data.indexOf(0x0a);
          const parsed = parseLine(text, prevSeq);
          prevSeq = parsed.seq;
          if (parsed.seq > this.headSeq) this.headSeq = parsed.seq;
          if (skip && after !== undefined) {
            if (parsed.seq < after.seq || parsed.record === undefined) continue;
            if (parsed.seq === after.seq) {
              if (parsed.hash !== after.hash) {
                return { lines: [], position: undefined, stillSkipping: false, mismatch: `the export cursor names seq ${after.seq} with hash ${after.hash.slice(0, 12)}…, but the log holds ${String(parsed.hash).slice(0, 12)}… there; shipping again from the oldest record` };
              }
              skip = false;
              last = after;
              continue;
            }
            skip = false;
          }
          lines.push(parsed);
          if (parsed.hash !== undefined) last = { seq: parsed.seq, hash: parsed.hash };
        }
        if (lines.length >= max) break;
        carry = data;
      }
    } finally {
      await fh.close();
    }
    return { lines, position: last === undefined ? undefined : { path, ino, offset: pos, after: last }, stillSkipping: skip };
  }

  private async chainFiles(): Promise<string[]> {
    const dir = dirname(this.auditPath);
    return [...(await listRotated(dir)).map((name) => join(dir, name)), this.auditPath];
  }

  private async rotatedNewestFirst(): Promise<string[]> {
    const dir = dirname(this.auditPath);
    return (await listRotated(dir)).reverse().map((name) => join(dir, name));
  }
}

function parseLine(line: string, prevSeq: number): ChainLine {
  try {
    const record = JSON.parse(line) as AuditRecord;
    const seq = typeof record.seq === 'number' ? record.seq : prevSeq + 1;
    return { line, record, seq, hash: typeof record.hash === 'string' ? record.hash : undefined };
  } catch {
    // Shipped as written: the central copy must show what the local file holds, damage included.
    return { line, record: undefined, seq: prevSeq, hash: undefined };
  }
}

/** The seq of a file's first record (reads only its first line; 0 for a record without seq). */
async function firstSeq(path: string): Promise<number | undefined> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (fh === undefined) return undefined;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, bytesRead);
    const nl = text.indexOf('\n');
    if (nl === -1) return undefined;
    try {
      const record = JSON.parse(text.slice(0, nl)) as { seq?: unknown };
      return typeof record.seq === 'number' ? record.seq : 0;
    } catch {
      return 0;
    }
  } finally {
    await fh.close();
  }
}
