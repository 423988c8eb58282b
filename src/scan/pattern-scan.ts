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
/** Each pattern's keyword ids, in the index of its kind. */
const KEYWORD_IDS = new Map(SECRET_PATTERNS.map((p) => [p, p.keywords?.map((k) => (p.longRun === true ? TOKEN_KEYWORDS : CONTEXT_KEYWORDS).idOf(k))]));

export interface PatternSet {
  readonly builtins: readonly SecretPattern[];
  readonly user: readonly CompiledUserPattern[];
}

/**
 * Run every pattern over `text`, pushing matches (named `<pattern><suffix>`) onto `out`. Built-ins
 * run only when one of their keywords occurs, which keeps the common case to a few indexOf calls.
 * Returns the name of the pattern that ran out of its budget, if any.
 */
export function scanPatterns(text: string, set: PatternSet, budgetMs: number, out: MatchRange[], suffix = ''): string | undefined {
  const lower = text.toLowerCase();
  const context = CONTEXT_KEYWORDS.present(lower);
  const runs = tokenRuns(text);
  const tokens = runs.length === 0 ? undefined : tokenKeywordsNear(lower, runs);
  const tokensFrom = runs.length === 0 ? 0 : Math.max(0, runs[0]! - TOKEN_REACH);
  // Indexed loops and no closures: this runs for every scanned string, and each iterator or closure is garbage.
  const builtins = set.builtins;
  for (let i = 0; i < builtins.length; i++) {
    const p = builtins[i]!;
    const isToken = p.longRun === true;
    if (isToken && tokens === undefined) continue;
    if (p.keywords !== undefined && !hasKeyword(p, lower, isToken ? tokens! : context)) continue;
    const before = out.length;
    if (!collectMatches(text, p.regex, p.name + suffix, BUILTIN_CHUNKS, deadlineAfter(text, BUILTIN_CHUNKS, budgetMs), out, isToken ? tokensFrom : 0)) return p.name;
    dropPlaceholders(text, out, before);
  }
  for (const p of set.user) {
    const result = USER_REGEX_GUARD.match(p.regex, p.name + suffix, text, budgetMs);
    // A timeout, a failure or more matches than can be reported all fail secure: the value goes.
    if (result.kind !== 'matches') return p.name;
    out.push(...result.ranges);
  }
  return undefined;
}

/** Documentation values (`user:password@host`, `--token <token>`) are not secrets: keep them readable. */
function dropPlaceholders(text: string, out: MatchRange[], from: number): void {
  let kept = from;
  for (let i = from; i < out.length; i++) {
    const r = out[i]!;
    if (!isPlaceholder(text.slice(r.start, r.end))) out[kept++] = r;
  }
  out.length = kept;
}

/** One guarded worker for every operator pattern in the process (see guarded-regex.ts). */
export const USER_REGEX_GUARD = new GuardedRegex();

function hasKeyword(p: SecretPattern, lower: string, present: Uint8Array): boolean {
  const ids = KEYWORD_IDS.get(p);
  // A pattern from outside the built-in list has no ids: look its keywords up directly.
  if (ids === undefined) return p.keywords?.some((k) => lower.includes(k)) ?? true;
  for (let i = 0; i < ids.length; i++) if (present[ids[i]!] === 1) return true;
  return false;
}

/** Which token prefixes occur within TOKEN_REACH of a run (runs close together are read as one stretch). */
function tokenKeywordsNear(lower: string, runs: readonly number[]): Uint8Array {
  const seen = new Uint8Array(TOKEN_KEYWORDS.keywords.length);
  let from = Math.max(0, runs[0]! - TOKEN_REACH);
  let to = runs[1]! + TOKEN_REACH;
  for (let i = 2; i < runs.length; i += 2) {
    if (runs[i]! - TOKEN_REACH > to) {
      TOKEN_KEYWORDS.present(lower.slice(from, to), seen);
      from = runs[i]! - TOKEN_REACH;
    }
    to = runs[i + 1]! + TOKEN_REACH;
  }
  TOKEN_KEYWORDS.present(lower.slice(from, to), seen);
  return seen;
}

/** The budget is per pattern pass (policy `redact.match_timeout_ms`, as in rea 0.4); short texts finish in one chunk and never read the clock. */
function deadlineAfter(text: string, plan: ChunkPlan, budgetMs: number): number {
  return text.length <= plan.chunk ? Number.POSITIVE_INFINITY : performance.now() + budgetMs;
}
