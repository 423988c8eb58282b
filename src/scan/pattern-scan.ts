import { performance } from 'node:perf_hooks';
import { SECRET_PATTERNS, type SecretPattern } from './patterns/secrets.js';
import { KeywordIndex } from './keyword-index.js';
import type { CompiledUserPattern } from './user-patterns.js';
import { BUILTIN_CHUNKS, collectMatches, type ChunkPlan, type MatchRange } from './bounded-match.js';
import { GuardedRegex } from './guarded-regex.js';
import { isPlaceholder } from './placeholders.js';
import { tokenRuns } from './base64-runs.js';

/**
 * The prefixes of token-shaped secrets (`ghp_`, `AKIA`, `sk-ant-`…) are most of the keywords, and
 * every such token starts inside a run of 20+ `A-Za-z0-9_-` characters or at most TOKEN_REACH
 * characters before one (`longRun`; `SG.`, `dp.pt.`, the digits of `123456789:AA…`). Runs are few
 * even where there are some (ids, hashes, a token), so the context words (`password`, `bearer`,
 * `://`…) are searched in the whole text, the token prefixes only around runs, and token patterns
 * are matched from the first run on. (One index of every keyword over the whole text cost 24 µs on
 * 4 KB of prose, the context words alone 16 µs.)
 */
export const TOKEN_REACH = 32;
const CONTEXT_KEYWORDS = new KeywordIndex(SECRET_PATTERNS.flatMap((p) => (p.longRun === true ? [] : (p.keywords ?? []))));
const TOKEN_KEYWORDS = new KeywordIndex(SECRET_PATTERNS.flatMap((p) => (p.longRun === true ? (p.keywords ?? []) : [])));
/**
 * Keyword id → the built-ins (by index) it wakes, per kind; a pattern without keywords runs always
 * (a token one: wherever there is a run). From the keywords found to their patterns, not from each
 * of 113 patterns to its keywords: a short string (a JSON field) cost ~1.3 µs, mostly that loop.
 */
const BY_CONTEXT_KEYWORD = patternsByKeyword(CONTEXT_KEYWORDS, false);
const BY_TOKEN_KEYWORD = patternsByKeyword(TOKEN_KEYWORDS, true);
const UNKEYED = SECRET_PATTERNS.flatMap((p, i) => (p.longRun !== true && p.keywords === undefined ? [i] : []));
const TOKEN_UNKEYED = SECRET_PATTERNS.flatMap((p, i) => (p.longRun === true && p.keywords === undefined ? [i] : []));

/** The operator's patterns (policy `redact.patterns`); the built-ins are SECRET_PATTERNS. */
export interface PatternSet {
  readonly user: readonly CompiledUserPattern[];
}

/**
 * Run every pattern over `text`, pushing matches (named `<pattern><suffix>`) onto `out`, built-ins
 * in their order and each only when one of its keywords occurs (where a keyword has to be).
 * Returns the name of the pattern that ran out of its budget, if any.
 */
export function scanPatterns(text: string, set: PatternSet, budgetMs: number, out: MatchRange[], suffix = ''): string | undefined {
  const lower = text.toLowerCase();
  // Plain arrays, mostly empty, and no closures or iterators: this runs for every scanned string, and
  // each typed array (~0.25 µs to make), iterator or closure costs as much as the scan of a short one.
  const woken: number[] = [];
  wake(CONTEXT_KEYWORDS.found(lower), BY_CONTEXT_KEYWORD, UNKEYED, woken);
  const runs = tokenRuns(text);
  if (runs.length > 0) wake(tokenKeywordsNear(text, runs), BY_TOKEN_KEYWORD, TOKEN_UNKEYED, woken);
  const tokensFrom = runs.length === 0 ? 0 : Math.max(0, runs[0]! - TOKEN_REACH);
  woken.sort(ascending);
  for (let i = 0; i < woken.length; i++) {
    if (woken[i] === woken[i - 1]) continue;
    const p = SECRET_PATTERNS[woken[i]!]!;
    const before = out.length;
    if (!collectMatches(text, p.regex, p.name + suffix, BUILTIN_CHUNKS, deadlineAfter(text, BUILTIN_CHUNKS, budgetMs), out, p.longRun === true ? tokensFrom : 0)) return p.name;
    keepSecrets(text, out, before, p);
  }
  for (const p of set.user) {
    const result = USER_REGEX_GUARD.match(p.regex, p.name + suffix, text, budgetMs);
    // A timeout, a failure or more matches than can be reported all fail secure: the value goes.
    if (result.kind !== 'matches') return p.name;
    out.push(...result.ranges);
  }
  return undefined;
}

/**
 * Documentation values (`user:password@host`, `--token <token>`) are not secrets: keep them readable.
 * Nor is what a pattern's own test (`accept`) turns down, nor a catch-all's match (`fallback`) where
 * an earlier pattern already matched.
 */
function keepSecrets(text: string, out: MatchRange[], from: number, p: SecretPattern): void {
  let kept = from;
  for (let i = from; i < out.length; i++) {
    const r = out[i]!;
    const value = text.slice(r.start, r.end);
    if (isPlaceholder(value) || (p.accept !== undefined && !p.accept(value))) continue;
    if (p.fallback === true && overlapsAny(out, from, r)) continue;
    out[kept++] = r;
  }
  out.length = kept;
}

function overlapsAny(ranges: readonly MatchRange[], before: number, r: MatchRange): boolean {
  for (let i = 0; i < before; i++) if (ranges[i]!.start < r.end && r.start < ranges[i]!.end) return true;
  return false;
}

/** One guarded worker for every operator pattern in the process (see guarded-regex.ts). */
export const USER_REGEX_GUARD = new GuardedRegex();

function patternsByKeyword(index: KeywordIndex, tokens: boolean): number[][] {
  const patterns: number[][] = index.keywords.map(() => []);
  SECRET_PATTERNS.forEach((p, i) => {
    if ((p.longRun === true) === tokens) for (const k of p.keywords ?? []) patterns[index.idOf(k)]!.push(i);
  });
  return patterns;
}

/** Push the built-ins that the keyword `ids` wake, and those that always run, onto `woken` (duplicates and all). */
function wake(ids: readonly number[], patternsOf: readonly (readonly number[])[], always: readonly number[], woken: number[]): void {
  for (let i = 0; i < always.length; i++) woken.push(always[i]!);
  for (let i = 0; i < ids.length; i++) {
    const patterns = patternsOf[ids[i]!]!;
    for (let j = 0; j < patterns.length; j++) woken.push(patterns[j]!);
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * The ids of the token prefixes within TOKEN_REACH of a run (runs close together are read as one
 * stretch). Each stretch of `text` is lowercased on its own: lowercasing can lengthen a text (`İ`
 * becomes two code units), so positions in `text` are not positions in its lowercased whole.
 */
function tokenKeywordsNear(text: string, runs: readonly number[]): number[] {
  const ids: number[] = [];
  let from = Math.max(0, runs[0]! - TOKEN_REACH);
  let to = runs[1]! + TOKEN_REACH;
  for (let i = 2; i < runs.length; i += 2) {
    if (runs[i]! - TOKEN_REACH > to) {
      TOKEN_KEYWORDS.found(text.slice(from, to).toLowerCase(), ids);
      from = runs[i]! - TOKEN_REACH;
    }
    to = runs[i + 1]! + TOKEN_REACH;
  }
  return TOKEN_KEYWORDS.found(text.slice(from, to).toLowerCase(), ids);
}

/** The budget is per pattern pass (policy `redact.match_timeout_ms`, as in rea 0.4); short texts finish in one chunk and never read the clock. */
function deadlineAfter(text: string, plan: ChunkPlan, budgetMs: number): number {
  return text.length <= plan.chunk ? Number.POSITIVE_INFINITY : performance.now() + budgetMs;
}
