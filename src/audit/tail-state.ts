/**
 * Finds the chain's tail by reading backwards from the end of the file, never the whole log:
 * an append revalidates with one stat, and only reads bytes when another writer moved the end.
 */
import type { FileHandle } from 'node:fs/promises';
import { checkLine } from './line-check.js';
import { GENESIS_HASH, sha256Hex } from './record.js';

/** What the writer keeps in memory between appends. */
export interface TailState {
  /** prev_hash for the next record. */
  hash: string;
  /** seq of the last record, or -1 when unknown (empty file or a rea 0.4 record). */
  seq: number;
  /** File size and identity at which `hash` was true. */
  size: number;
  ino: number;
}

export type TailCondition =
  | { readonly kind: 'empty' }
  | { readonly kind: 'ok'; readonly hash: string; readonly seq: number }
  /** Last complete line is JSON with a hash that does not match its content: continue from the stored hash. */
  | { readonly kind: 'mismatch'; readonly hash: string; readonly computed: string; readonly seq: number; readonly offset: number }
  /** Last complete line is not a record: continue from sha256 of its bytes (the verifier checks that link). */
  | { readonly kind: 'unparseable'; readonly hash: string; readonly detail: string; readonly offset: number; readonly length: number };

export interface TailScan {
  /** The last complete line above `floor`; undefined when there is none (the known tail still holds). */
  readonly condition: TailCondition | undefined;
  /** Offset where bytes after the last newline begin, when the file does not end with one. */
  readonly tornFrom?: number;
}

const CHUNK = 64 * 1024;

/**
 * Scans `[floor, size)` from the end. `floor` must be a line boundary (0, or a size at which the
 * tail was known good); when no newline lies above it, the line starting at `floor` is the tail.
 */
export async function scanTail(fh: FileHandle, size: number, floor = 0): Promise<TailScan> {
  const none = floor === 0 ? ({ kind: 'empty' } as const) : undefined;
  if (size <= floor) return { condition: none };
  let end = size;
  let tornFrom: number | undefined;
  const last = await readByte(fh, size - 1);
  if (last !== 0x0a) {
    tornFrom = (await lastNewlineBefore(fh, size, floor)) + 1;
    if (tornFrom <= floor) tornFrom = floor;
    end = tornFrom;
  }
  if (end <= floor) return tornFrom === undefined ? { condition: none } : { condition: none, tornFrom };
  const start = (await lastNewlineBefore(fh, end - 1, floor)) + 1;
  const lineStart = Math.max(start, floor);
  const buf = Buffer.alloc(end - 1 - lineStart);
  await fh.read(buf, 0, buf.length, lineStart);
  const condition = classify(buf, lineStart);
  return tornFrom === undefined ? { condition } : { condition, tornFrom };
}

function classify(buf: Buffer, offset: number): TailCondition {
  const text = buf.toString('utf8');
  const check = checkLine(text);
  switch (check.kind) {
    case 'ok':
      return { kind: 'ok', hash: check.record.hash, seq: seqOf(check.record.seq) };
    case 'mismatch':
      return { kind: 'mismatch', hash: check.record.hash, computed: check.computed, seq: seqOf(check.record.seq), offset };
    case 'unparseable':
      return { kind: 'unparseable', hash: sha256Hex(buf), detail: check.detail, offset, length: buf.length };
    default: {
      const never: never = check;
      return never;
    }
  }
}

function seqOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : -1;
}

export function tailHashOf(condition: TailCondition): string {
  return condition.kind === 'empty' ? GENESIS_HASH : condition.hash;
}

async function readByte(fh: FileHandle, position: number): Promise<number | undefined> {
  const one = Buffer.alloc(1);
  const { bytesRead } = await fh.read(one, 0, 1, position);
  return bytesRead === 1 ? one[0] : undefined;
}

/** Offset of the last `\n` strictly before `before`, or `floor - 1` when there is none above floor. */
async function lastNewlineBefore(fh: FileHandle, before: number, floor: number): Promise<number> {
  let end = before;
  const buf = Buffer.alloc(CHUNK);
  while (end > floor) {
    const start = Math.max(floor, end - CHUNK);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    const idx = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (idx !== -1) return start + idx;
    end = start;
  }
  return floor - 1;
}
