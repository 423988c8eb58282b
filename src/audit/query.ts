/**
 * Reading the log for people: filtered records (`rea audit query`), the last N (`tail`), following
 * new lines across rotations (`tail -f`), and counts (`summary`). Streaming, like verify.
 */
import { open, stat } from 'node:fs/promises';
import type { AuditRecord } from './record.js';
import { readRawLines } from './line-reader.js';

export interface AuditFilter {
  readonly server?: string;
  readonly tool?: string;
  readonly status?: string;
  readonly tier?: string;
  readonly session?: string;
  readonly denyCode?: string;
  /** Epoch ms bounds on `timestamp`. */
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

/** `2026-01-02T…` or a relative age such as `90m`, `12h`, `7d` (before now). */
export function parseTimeBound(value: string, now = Date.now()): number {
  const rel = /^(\d+)([smhd])$/.exec(value);
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(rel[1]) * unit;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`\`${value}\` is not a time: use ISO-8601 (2026-01-02T10:00:00Z) or an age like 30m, 12h, 7d`);
  return ms;
}

export function matches(record: AuditRecord, f: AuditFilter): boolean {
  if (f.server !== undefined && record.server_name !== f.server) return false;
  if (f.tool !== undefined && record.tool_name !== f.tool) return false;
  if (f.status !== undefined && record.status !== f.status) return false;
  if (f.tier !== undefined && record.tier !== f.tier) return false;
  if (f.session !== undefined && record.session_id !== f.session) return false;
  if (f.denyCode !== undefined && record.deny_code !== f.denyCode) return false;
  if (f.sinceMs !== undefined || f.untilMs !== undefined) {
    const t = Date.parse(record.timestamp);
    if (f.sinceMs !== undefined && !(t >= f.sinceMs)) return false;
    if (f.untilMs !== undefined && !(t <= f.untilMs)) return false;
  }
  return true;
}

/** Parsed records of the files in order; unparseable lines are skipped (verify reports them). */
export async function* readRecords(files: readonly string[]): AsyncGenerator<AuditRecord> {
  for (const file of files) {
    for await (const raw of readRawLines(file)) {
      try {
        yield JSON.parse(raw.buf.toString('utf8', raw.start, raw.end)) as AuditRecord;
      } catch {
        // Not a record: `rea audit verify` lists it; readers show what can be read.
      }
    }
  }
}

export interface AuditSummary {
  readonly records: number;
  readonly byStatus: Record<string, number>;
  readonly byTier: Record<string, number>;
  readonly byServer: Record<string, number>;
  readonly topDenied: readonly { tool: string; server: string; count: number }[];
}

export async function summarize(records: AsyncIterable<AuditRecord>, filter: AuditFilter, top = 10): Promise<AuditSummary> {
  const byStatus: Record<string, number> = {};
  const byTier: Record<string, number> = {};
  const byServer: Record<string, number> = {};
  const denied = new Map<string, { tool: string; server: string; count: number }>();
  let count = 0;
  for await (const r of records) {
    if (r.phase === 'intent' || !matches(r, filter)) continue;
    count += 1;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    byTier[r.tier] = (byTier[r.tier] ?? 0) + 1;
    byServer[r.server_name] = (byServer[r.server_name] ?? 0) + 1;
    if (r.status === 'denied') {
      const key = `${r.server_name}\u0000${r.tool_name}`;
      const entry = denied.get(key) ?? { tool: r.tool_name, server: r.server_name, count: 0 };
      entry.count += 1;
      denied.set(key, entry);
    }
  }
  const topDenied = [...denied.values()].sort((a, b) => b.count - a.count || a.tool.localeCompare(b.tool)).slice(0, top);
  return { records: count, byStatus, byTier, byServer, topDenied };
}

/**
 * Calls `onRecord` for each line appended to `path` from `fromSize` on, reopening when the file is
 * rotated; stops when `signal` aborts. Polls (stat every `intervalMs`): fs.watch misses renames.
 */
export async function follow(path: string, fromSize: number, onRecord: (r: AuditRecord) => void, signal: AbortSignal, intervalMs = 250): Promise<void> {
  let offset = fromSize;
  let ino = (await stat(path).catch(() => undefined))?.ino;
  let carry = '';
  while (!signal.aborted) {
    const st = await stat(path).catch(() => undefined);
    if (st !== undefined && (st.ino !== ino || st.size < offset)) {
      ino = st.ino;
      offset = 0;
      carry = '';
    }
    if (st !== undefined && st.size > offset) {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(st.size - offset);
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        offset += bytesRead;
        const parts = (carry + buf.subarray(0, bytesRead).toString('utf8')).split('\n');
        carry = parts.pop() ?? '';
        for (const line of parts) {
          try {
            onRecord(JSON.parse(line) as AuditRecord);
          } catch {
            // Skipped like readRecords does; verify reports it.
          }
        }
      } finally {
        await fh.close();
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
