/**
 * Regex matching with a time bound and no worker threads (THREAT_MODEL.md, ReDoS). rea 0.4 started a
 * worker per regex call, which cost about a second per tool call. Here a long input is matched in
 * chunks (with an overlap as long as the longest match, so nothing is missed at a boundary) and the
 * clock is read between chunks; when the deadline passes the caller gets `false` and fails secure.
 * Built-in patterns are linear, so the chunk size only bounds one step of work. Operator patterns
 * are not trusted to be linear and run under a hard limit instead (guarded-regex.ts).
 */
import { performance } from 'node:perf_hooks';

export interface MatchRange {
  start: number;
  end: number;
  readonly pattern: string;
}

export interface ChunkPlan {
  readonly chunk: number;
  readonly overlap: number;
}

/** Built-ins: linear and bounded, matches up to MAX_SECRET_MATCH characters. */
export const BUILTIN_CHUNKS: ChunkPlan = { chunk: 128 * 1024, overlap: 16 * 1024 };

/**
 * Push every match of `regex` (global) in `text` that starts at `start` or later onto `out`. Where
 * the match has a defined group whose name starts with `secret` (needs the `d` flag), only that
 * group is recorded. The caller asks for a later `start` only where no match can begin before it
 * (the chunks stay where they are, so each match is found as from the text's start).
 * Returns false when `deadline` (performance.now() milliseconds) passed before the scan finished.
 */
export function collectMatches(
  text: string,
  regex: RegExp,
  name: string,
  plan: ChunkPlan,
  deadline: number,
  out: MatchRange[],
  start = 0,
): boolean {
  const length = text.length;
  for (let from = start - (start % plan.chunk); from < length; from += plan.chunk) {
    const to = Math.min(length, from + plan.chunk + plan.overlap);
    const isLast = to === length;
    const slice = from === 0 && isLast ? text : text.slice(from, to);
    regex.lastIndex = Math.max(0, start - from);
    let m: RegExpExecArray | null;
    while ((m = regex.exec(slice)) !== null) {
      // A match starting in the overlap belongs to the next chunk, which sees all of it.
      if (!isLast && m.index >= plan.chunk) break;
      const [s, e] = secretSpan(m);
      if (e > s) out.push({ start: from + s, end: from + e, pattern: name });
      if (m[0].length === 0) regex.lastIndex++;
    }
    if (performance.now() > deadline) return isLast;
    if (isLast) break;
  }
  return true;
}

function secretSpan(m: RegExpExecArray): [number, number] {
  const groups = m.indices?.groups;
  if (groups) {
    for (const key in groups) {
      const span = groups[key];
      if (span !== undefined && key.startsWith('secret')) return span;
    }
  }
  return [m.index, m.index + m[0].length];
}

/** Sort and union overlapping ranges; the merged range keeps the first pattern's name. */
export function mergeRanges(ranges: MatchRange[]): MatchRange[] {
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: MatchRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else {
      merged.push({ ...r });
    }
  }
  return merged;
}
