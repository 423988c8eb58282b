/**
 * The open audit file and the chain tail kept in memory. Every method runs under the append lock.
 * `revalidate` is the cheap check that makes cross-process appends safe without re-reading the
 * log: one stat; bytes are read only when another writer moved the end, and then only its last line.
 * That stat and a relaxed append are synchronous: both are quick, and a thread-pool round trip costs
 * several times the system call it carries (README, "CPU per call").
 */
import { constants, fdatasync, ftruncateSync, statSync, write, writeSync, type Stats } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditInput } from './record.js';
import { GENESIS_HASH } from './record.js';
import { scanTail, tailHashOf } from './tail-state.js';
import type { TailState } from './tail-state.js';
import { badTailNote, externalChangeNote, setTornTailAside } from './recovery.js';
import { listRotated, readFirstTimestamp, rotatedFileName } from './rotation.js';
import { syncDirectory } from '../atomic-write.js';

export class LogFile {
  private fh: FileHandle | undefined;
  /** The same file opened O_DSYNC: a durable batch is one write() that returns once on disk. */
  private dsync: FileHandle | undefined;
  private tailState: TailState | undefined;
  private firstRecordMs: number | undefined;
  private firstRecordKnown = false;
  /** Set when a write failed midway: the next revalidate re-reads the tail instead of trusting it. */
  private suspect = false;

  constructor(readonly path: string) {}

  get tail(): TailState | undefined {
    return this.tailState;
  }

  /** Brings the in-memory tail up to date with the file; returns recovery records to append. */
  async revalidate(): Promise<AuditInput[]> {
    const notes: AuditInput[] = [];
    const known = this.tailState;
    const st: Stats | undefined = statSync(this.path, { throwIfNoEntry: false });
    if (!this.suspect && this.fh !== undefined && known !== undefined && st !== undefined && st.ino === known.ino) {
      if (st.size === known.size) return notes;
      if (st.size > known.size) {
        await this.rescan(notes, st.size, known.size, known);
        return notes;
      }
      notes.push(externalChangeNote(this.path, 'truncated', known.size, st.size, known.hash));
      await this.rescan(notes, st.size, 0, known);
      return notes;
    }
    await this.reopen(st === undefined);
    this.suspect = false;
    const size = (await this.handle().stat()).size;
    if (known !== undefined && st === undefined) notes.push(externalChangeNote(this.path, 'missing', known.size, 0, known.hash));
    await this.rescan(notes, size, 0, known);
    return notes;
  }

  private async rescan(notes: AuditInput[], size: number, floor: number, known: TailState | undefined): Promise<void> {
    const fh = this.handle();
    const scan = await scanTail(fh, size, floor);
    let end = size;
    if (scan.tornFrom !== undefined) {
      notes.push(await setTornTailAside(fh, this.path, scan.tornFrom, size));
      end = scan.tornFrom;
    }
    const ino = (await fh.stat()).ino;
    const condition = scan.condition;
    if (condition === undefined) {
      // No new complete line above the known boundary: the known tail still holds.
      this.tailState = { hash: known?.hash ?? GENESIS_HASH, seq: known?.seq ?? -1, size: end, ino };
      return;
    }
    const bad = badTailNote(condition, this.path);
    if (bad !== undefined) notes.push(bad);
    // An emptied or replaced file must not restart the chain from zeros when we know its head.
    const hash = condition.kind === 'empty' && known !== undefined ? known.hash : tailHashOf(condition);
    const seq = condition.kind === 'empty' ? (known?.seq ?? -1) : condition.kind === 'unparseable' ? -1 : condition.seq;
    this.tailState = { hash, seq, size: end, ino };
    if (floor === 0) this.firstRecordKnown = false;
  }

  private async reopen(creating: boolean): Promise<void> {
    await this.closeHandle();
    await mkdir(dirname(this.path), { recursive: true });
    this.fh = await open(this.path, 'a+', 0o644);
    this.firstRecordKnown = false;
    if (creating) await syncDirectory(dirname(this.path));
  }

  /**
   * Appends complete lines (each with its newline) in one write; on failure, cuts the file back so
   * the batch leaves no trace.
   * A relaxed append goes to the page cache at once (`writeSync`). A durable one waits for the disk
   * on the thread pool, not on the event loop: a synchronous O_DSYNC write stops the gateway for the
   * whole sync, which here tripled the added p50 and cost a third of the 8-in-flight throughput for
   * no CPU saved (README, "CPU per call", third round).
   */
  async writeLines(buf: Buffer, lastHash: string, lastSeq: number, durable: boolean): Promise<void> {
    const fh = this.handle();
    const tail = this.tailState;
    if (tail === undefined) throw new Error('audit tail unknown: revalidate() must run first');
    try {
      if (durable) {
        // One thread-pool round trip instead of two (write, then fdatasync) where O_DSYNC exists.
        const out = (await this.dsyncHandle()).fd;
        await writeAllDurably(out, buf, out === fh.fd);
      } else {
        for (let done = 0; done < buf.length; ) done += writeSync(fh.fd, buf, done, buf.length - done);
      }
    } catch (error) {
      try {
        ftruncateSync(fh.fd, tail.size);
      } catch {
        // Best effort: if even the truncate fails, the next revalidate finds the torn bytes.
      }
      this.suspect = true;
      throw error;
    }
    this.tailState = { hash: lastHash, seq: lastSeq, size: tail.size + buf.length, ino: tail.ino };
  }

  /** Time of the current file's first record (read once per file), for age-based rotation. */
  async firstRecordTime(): Promise<number | undefined> {
    if (!this.firstRecordKnown) {
      this.firstRecordMs = await readFirstTimestamp(this.handle());
      this.firstRecordKnown = true;
    }
    return this.firstRecordMs;
  }

  /** Renames the current file aside and opens a fresh one; the caller writes the marker next. */
  async rotate(now: Date): Promise<string> {
    const dir = dirname(this.path);
    const tail = this.tailState;
    await this.handle().sync();
    // Same-second rotations get `-N` above any existing one, so names keep sorting in chain order.
    const base = rotatedFileName(now).replace(/\.jsonl$/, '');
    const taken = (await listRotated(dir)).filter((n) => n.startsWith(base));
    const highest = taken.reduce((max, n) => Math.max(max, Number(/-(\d+)\.jsonl$/.exec(n.slice(base.length))?.[1] ?? 0)), taken.length > 0 ? 0 : -1);
    const target = join(dir, rotatedFileName(now, highest + 1));
    await this.closeHandle();
    await rename(this.path, target);
    this.fh = await open(this.path, 'a+', 0o644);
    await syncDirectory(dir);
    const ino = (await this.fh.stat()).ino;
    this.tailState = { hash: tail?.hash ?? GENESIS_HASH, seq: tail?.seq ?? -1, size: 0, ino };
    this.firstRecordKnown = false;
    return basename(target);
  }

  async sync(): Promise<void> {
    await this.fh?.sync();
  }

  async close(): Promise<void> {
    await this.closeHandle();
    this.tailState = undefined;
  }

  /** Falls back to the ordinary handle (write + fdatasync) where O_DSYNC does not exist. */
  private async dsyncHandle(): Promise<FileHandle> {
    if (constants.O_DSYNC === undefined) return this.handle();
    this.dsync ??= await open(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC);
    return this.dsync;
  }

  private async closeHandle(): Promise<void> {
    const dsync = this.dsync;
    this.dsync = undefined;
    await dsync?.close().catch(() => undefined);
    const fh = this.fh;
    this.fh = undefined;
    // Closing can fail only if the descriptor is already invalid; nothing is left to flush then.
    await fh?.close().catch(() => undefined);
  }

  private handle(): FileHandle {
    if (this.fh === undefined) throw new Error('audit file not open: revalidate() must run first');
    return this.fh;
  }
}

/**
 * Writes all of `buf` to `fd` through the callback API (a FileHandle's promise per write allocates
 * more), then fdatasyncs unless the descriptor is O_DSYNC already.
 */
function writeAllDurably(fd: number, buf: Buffer, needsSync: boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const from = (done: number): void => {
      if (done < buf.length) {
        write(fd, buf, done, buf.length - done, null, (error, written) => (error ? reject(error) : from(done + written)));
      } else if (needsSync) {
        fdatasync(fd, (error) => (error ? reject(error) : resolve()));
      } else {
        resolve();
      }
    };
    from(0);
  });
}
