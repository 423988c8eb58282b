/**
 * Secrets hidden in base64 (a config blob, a Basic header, a kube secret): decode each long base64
 * run that decodes to text and scan it with the same patterns; a hit redacts the whole run
 * (THREAT_MODEL.md, encoding bypasses). Bounded: runs are capped in length and number.
 */
import { performance } from 'node:perf_hooks';
import type { MatchRange } from './bounded-match.js';
import { scanPatterns, type PatternSet } from './pattern-scan.js';
import { hasLongRun } from './base64-runs.js';

const RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,65536}={0,2}/g;
const MAX_RUNS = 256;

/** Returns the name of the pattern that ran out of its budget, if any. */
export function findBase64Secrets(text: string, set: PatternSet, budgetMs: number, out: MatchRange[]): string | undefined {
  if (!hasLongRun(text)) return undefined;
  const deadline = performance.now() + budgetMs;
  RUN.lastIndex = 0;
  let runs = 0;
  let m: RegExpExecArray | null;
  while ((m = RUN.exec(text)) !== null) {
    if (++runs > MAX_RUNS) break;
    const start = m.index;
    const end = start + m[0].length;
    if (out.some((r) => r.start <= start && r.end >= end)) continue;
    const decoded = decodeText(m[0]);
    if (decoded === undefined) continue;
    const found: MatchRange[] = [];
    const failed = scanPatterns(decoded, set, budgetMs, found, '_b64');
    if (failed !== undefined) return failed;
    if (found.length > 0) out.push({ start, end, pattern: found[0]!.pattern });
    if ((runs & 15) === 0 && performance.now() > deadline) return 'base64';
  }
  return undefined;
}

/** The decoded text, or undefined when the run is not base64 of mostly printable text. */
function decodeText(run: string): string | undefined {
  if (run.length % 4 === 1) return undefined;
  const bytes = Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64');
  const probe = Math.min(bytes.length, 256);
  let printable = 0;
  for (let i = 0; i < probe; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
  }
  return probe > 0 && printable / probe >= 0.9 ? bytes.toString('utf8') : undefined;
}
