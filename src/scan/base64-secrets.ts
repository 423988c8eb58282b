/**
 * Secrets hidden in base64 (a config blob, a Basic header, a kube secret): decode each long base64
 * run that decodes to text and scan it with the same patterns; a hit redacts the whole run
 * (THREAT_MODEL.md, encoding bypasses). Bounded: runs are capped in length and number.
 */
import { performance } from 'node:perf_hooks';
import type { MatchRange } from './bounded-match.js';
import { scanPatterns, type PatternSet } from './pattern-scan.js';
import { base64Runs, runMatchEnd } from './base64-runs.js';

/** A run is decoded when it holds 24 to 65,536 characters (a longer one: its head), with its `=` padding. */
const MIN_LENGTH = 24;
const MAX_LENGTH = 65_536;
const MAX_RUNS = 256;

/** Returns the name of the pattern that ran out of its budget, if any. */
export function findBase64Secrets(text: string, set: PatternSet, budgetMs: number, out: MatchRange[]): string | undefined {
  const found = base64Runs(text);
  if (found.length === 0) return undefined;
  const deadline = performance.now() + budgetMs;
  let runs = 0;
  for (let i = 0; i < found.length; i += 2) {
    const start = found[i]!;
    if (found[i + 1]! - start < MIN_LENGTH) continue;
    if (++runs > MAX_RUNS) break;
    const end = runMatchEnd(text, start, found[i + 1]!, MAX_LENGTH);
    if (out.some((r) => r.start <= start && r.end >= end)) continue;
    const decoded = decodeText(text.slice(start, end));
    if (decoded === undefined) continue;
    const inside: MatchRange[] = [];
    const failed = scanPatterns(decoded, set, budgetMs, inside, '_b64');
    if (failed !== undefined) return failed;
    if (inside.length > 0) out.push({ start, end, pattern: inside[0]!.pattern });
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
