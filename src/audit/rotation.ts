/**
 * Rotation helpers, in rea 0.4's format: the full file is renamed to `audit-YYYYMMDD-HHMMSS.jsonl`
 * (UTC, `-N` on a same-second collision) and the fresh file starts with an `audit.rotation` marker
 * whose prev_hash is the rotated file's tail. The writer performs rotation under its append lock.
 */
import { open, readdir, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditInput } from './record.js';
import { ROTATION_TOOL_NAME, systemEvent } from './events.js';

export interface RotationOptions {
  /** Rotate when the current file reaches this many bytes. */
  readonly maxBytes?: number;
  /** Rotate when the current file's first record is this many days old. */
  readonly maxAgeDays?: number;
  /** Keep at most this many rotated files (oldest deleted first). Unset: keep all. */
  readonly retain?: number;
}

export interface RotationResult {
  readonly rotated: boolean;
  /** Absolute path of the rotated file. */
  readonly rotatedTo?: string;
  /** Rotated files deleted by the retention count. */
  readonly pruned?: readonly string[];
}

const ROTATED_NAME = /^audit-\d{8}-\d{6}(-\d+)?\.jsonl$/;

export function rotatedFileName(at: Date, collision = 0): string {
  const iso = at.toISOString(); // 2026-01-02T03:04:05.678Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return collision === 0 ? `audit-${stamp}.jsonl` : `audit-${stamp}-${collision}.jsonl`;
}

/** Rotated files in chain order: names sort by time, and `-N` collisions after their base. */
export async function listRotated(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((n) => ROTATED_NAME.test(n)).sort(compareRotated);
}

function compareRotated(a: string, b: string): number {
  const key = (n: string): [string, number] => {
    const m = /^(audit-\d{8}-\d{6})(?:-(\d+))?\.jsonl$/.exec(n);
    return [m?.[1] ?? n, Number(m?.[2] ?? 0)];
  };
  const [ab, an] = key(a);
  const [bb, bn] = key(b);
  return ab < bb ? -1 : ab > bb ? 1 : an - bn;
}

export function isRotationDue(size: number, firstRecordMs: number | undefined, options: RotationOptions | undefined, now: number): boolean {
  if (options === undefined || size === 0) return false;
  if (options.maxBytes !== undefined && size >= options.maxBytes) return true;
  if (options.maxAgeDays !== undefined && firstRecordMs !== undefined) {
    return now - firstRecordMs >= options.maxAgeDays * 86_400_000;
  }
  return false;
}

/** Timestamp of the first record, reading only its line (at most 1 MiB). */
export async function readFirstTimestamp(fh: FileHandle): Promise<number | undefined> {
  const buf = Buffer.alloc(64 * 1024);
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  const text = buf.subarray(0, bytesRead).toString('utf8');
  const match = /^\{"timestamp":"([^"]+)"/.exec(text);
  if (!match?.[1]) return undefined;
  const ms = Date.parse(match[1]);
  return Number.isNaN(ms) ? undefined : ms;
}

export function rotationMarker(rotatedName: string, at: Date): AuditInput {
  return { ...systemEvent(ROTATION_TOOL_NAME, { rotated_from: rotatedName, rotated_at: at.toISOString() }), timestamp: at.toISOString() };
}

/** Deletes the oldest rotated files beyond `retain`; returns their names. */
export async function pruneRotated(dir: string, retain: number | undefined): Promise<string[]> {
  if (retain === undefined) return [];
  const rotated = await listRotated(dir);
  const doomed = rotated.slice(0, Math.max(0, rotated.length - retain));
  for (const name of doomed) await unlink(join(dir, name));
  return doomed;
}

/** The oldest rotated file and the prev_hash its first record chains from. */
export async function oldestRotatedStart(dir: string): Promise<{ name: string; prevHash: string | null } | undefined> {
  const name = (await listRotated(dir))[0];
  if (name === undefined) return undefined;
  const fh = await open(join(dir, name), 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const match = /"prev_hash":"([0-9a-f]{64})"/.exec(buf.subarray(0, bytesRead).toString('utf8'));
    return { name, prevHash: match?.[1] ?? null };
  } finally {
    await fh.close();
  }
}
