import { performance } from 'node:perf_hooks';
import { SECRET_PATTERNS, type SecretPattern } from './patterns/secrets.js';
import { KeywordIndex } from './keyword-index.js';
import type { CompiledUserPattern } from './user-patterns.js';
import { BUILTIN_CHUNKS, collectMatches, type ChunkPlan, type MatchRange } from './bounded-match.js';
import { GuardedRegex } from './guarded-regex.js';
import { isPlaceholder } from './placeholders.js';
import { hasTokenRun } from './base64-runs.js';

/**
 * The prefixes of token-shaped secrets (`ghp_`, `AKIA`, `sk-ant-`…) are most of the keywords, and
 * every such token is a run of 20+ `A-Za-z0-9_-` characters (`longRun`). A text without one (prose,
 * most code and JSON: paths break at `/`) is searched for the context words alone (`password`,
 * `bearer`, `://`…); any other text for every keyword in one pass.
 */
const ALL_KEYWORDS = new KeywordIndex(SECRET_PATTERNS.flatMap((p) => p.keywords ?? []));
const CONTEXT_KEYWORDS = new KeywordIndex(SECRET_PATTERNS.flatMap((p) => (p.longRun === true ? [] : (p.keywords ?? []))));
/** Each pattern's keyword ids in the index it is looked up in: the context one is never asked about token prefixes. */
const KEYWORD_IDS = new Map(SECRET_PATTERNS.map((p) => [p, { all: p.keywords?.map((k) => ALL_KEYWORDS.idOf(k)), context: p.longRun === true ? undefined : p.keywords?.map((k) => CONTEXT_KEYWORDS.idOf(k)) }]));

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
  const runs = hasTokenRun(text);
  const present = (runs ? ALL_KEYWORDS : CONTEXT_KEYWORDS).present(lower);
  // Indexed loops and no closures: this runs for every scanned string, and each iterator or closure is garbage.
  const builtins = set.builtins;
  for (let i = 0; i < builtins.length; i++) {
    const p = builtins[i]!;
    if (p.longRun === true && !runs) continue;
    if (p.keywords !== undefined && !hasKeyword(p, lower, present, runs)) continue;
    const before = out.length;
    if (!collectMatches(text, p.regex, p.name + suffix, BUILTIN_CHUNKS, deadlineAfter(text, BUILTIN_CHUNKS, budgetMs), out)) return p.name;
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

function hasKeyword(p: SecretPattern, lower: string, present: Uint8Array, allIndexed: boolean): boolean {
  const entry = KEYWORD_IDS.get(p);
  const ids = entry === undefined ? undefined : allIndexed ? entry.all : entry.context;
  // A pattern from outside the built-in list has no ids: look its keywords up directly.
  if (ids === undefined) return p.keywords?.some((k) => lower.includes(k)) ?? true;
  for (let i = 0; i < ids.length; i++) if (present[ids[i]!] === 1) return true;
  return false;
}

/** The budget is per pattern pass (policy `redact.match_timeout_ms`, as in rea 0.4); short texts finish in one chunk and never read the clock. */
function deadlineAfter(text: string, plan: ChunkPlan, budgetMs: number): number {
  return text.length <= plan.chunk ? Number.POSITIVE_INFINITY : performance.now() + budgetMs;
}
