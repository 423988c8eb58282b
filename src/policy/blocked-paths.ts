import { picomatch } from './lazy-picomatch.js';
import { posix } from 'node:path';

/**
 * Blocked-path rules (THREAT_MODEL.md T5). Patterns follow .gitignore conventions: a trailing `/`
 * names a directory, a pattern without `/` matches at any depth (`.env`, `.rea/`), one with a `/`
 * is anchored at the project root (`config/secrets.yaml`), an absolute or `~/` pattern is absolute.
 * A match on a directory blocks everything below it. `.rea/` is always blocked.
 */

const ALWAYS_BLOCKED = '.rea/';
/**
 * Also always blocked: the audit lock beside `.rea/` (an agent that holds it stalls every audit
 * write) and the directory where `rea audit keygen` keeps checkpoint signing keys (THREAT_MODEL.md
 * T10, T11).
 */
const ALSO_ALWAYS_BLOCKED = ['.rea.lock/', '~/.config/rea/keys/'];

interface CompiledPattern {
  readonly pattern: string;
  /** Tested against the absolute path without its leading `/`. */
  readonly abs: RegExp | undefined;
  /** Tested against the path relative to the project root, when inside it. */
  readonly rel: RegExp | undefined;
}

export interface BlockedPathRules {
  /** The pattern that blocks this absolute, normalised path, or undefined. */
  match(path: string): string | undefined;
}

/**
 * Glob → regex source, as picomatch compiles it. A Claude Code hook compiles the same policy in a
 * new process for every call; it keeps these beside its policy cache and preloads them.
 */
const compiledGlobs = new Map<string, string>();

export function preloadCompiledGlobs(entries: Readonly<Record<string, string>>): void {
  for (const [key, source] of Object.entries(entries)) compiledGlobs.set(key, source);
}

export function compiledGlobEntries(): Record<string, string> {
  return Object.fromEntries(compiledGlobs);
}

function globSource(glob: string, nocase: boolean): string {
  const key = `${nocase ? 'i' : 's'}:${glob}`;
  let source = compiledGlobs.get(key);
  if (source === undefined) {
    source = picomatch().makeRe(glob, { dot: true, nocase }).source;
    compiledGlobs.set(key, source);
  }
  return source;
}

/** One regex for a set of globs: picomatch's own matcher function costs ~1 µs a call, a regex ~0.1 µs. */
function globRegex(globs: readonly string[], nocase: boolean): RegExp {
  const sources = globs.map((g) => globSource(g, nocase));
  return new RegExp(sources.map((src) => `(?:${src})`).join('|'), nocase ? 'i' : '');
}

/** What the gateway always blocks; the native channel lets the agent read `.rea/` (see src/hooks/). */
const GATEWAY_ALWAYS_BLOCKED: readonly string[] = [ALWAYS_BLOCKED, ...ALSO_ALWAYS_BLOCKED];
/** The checkpoint signing keys: never readable through any channel. */
export const KEYS_DIRECTORY = ALSO_ALWAYS_BLOCKED[1]!;

/**
 * A pattern starting with `!` exempts what it matches, as in .gitignore (`.env.*` with
 * `!.env.example`); the always-blocked patterns cannot be exempted.
 */
export function compileBlockedPaths(
  patterns: readonly string[],
  roots: readonly string[],
  home: string,
  caseInsensitive: boolean,
  alwaysBlocked: readonly string[] = GATEWAY_ALWAYS_BLOCKED,
): BlockedPathRules {
  const exemptions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const rules = compileMatcher(patterns.filter((p) => !p.startsWith('!')), alwaysBlocked, roots, home, caseInsensitive);
  if (exemptions.length === 0) return rules;
  const exempt = compileMatcher(exemptions, [], roots, home, caseInsensitive);
  const always = compileMatcher([], alwaysBlocked, roots, home, caseInsensitive);
  return {
    match(path) {
      const pattern = rules.match(path);
      if (pattern === undefined || exempt.match(path) === undefined) return pattern;
      return always.match(path);
    },
  };
}

function compileMatcher(patterns: readonly string[], alwaysBlocked: readonly string[], roots: readonly string[], home: string, caseInsensitive: boolean): BlockedPathRules {
  const compiled: CompiledPattern[] = [];
  for (const pattern of new Set([...alwaysBlocked, ...patterns])) {
    const p = expandHome(pattern, home);
    if (p.length === 0) continue;
    const below = [p, `${p}/**`];
    if (p.startsWith('/')) compiled.push({ pattern, abs: globRegex(below.map((g) => g.slice(1)), caseInsensitive), rel: undefined });
    else if (p.includes('/')) compiled.push({ pattern, abs: undefined, rel: globRegex(below, caseInsensitive) });
    else compiled.push({ pattern, abs: globRegex([`**/${p}`, `**/${p}/**`], caseInsensitive), rel: undefined });
  }
  // Cheap prefilter: a path can only match if it contains some pattern's longest literal run.
  const literals = compiled.map((c) => longestLiteral(c.pattern === ALWAYS_BLOCKED ? '.rea' : expandHome(c.pattern, home), caseInsensitive));
  const prefilter = literals.every((l) => l.length >= 2) ? literals : undefined;
  const absAll = new RegExp(compiled.flatMap((c) => (c.abs ? [`(?:${c.abs.source})`] : [])).join('|') || '(?!)', caseInsensitive ? 'i' : '');
  const relAll = new RegExp(compiled.flatMap((c) => (c.rel ? [`(?:${c.rel.source})`] : [])).join('|') || '(?!)', caseInsensitive ? 'i' : '');
  const fold = (s: string): string => (caseInsensitive ? s.toLowerCase() : s);
  // Each root with its trailing slash, as `match` compares them.
  const rootList = [...new Set(roots.map((r) => fold(posix.normalize(r)).replace(/\/+$/, '')))].map((root) => `${root}/`);
  return {
    match(path) {
      // Indexed loops, no closure: this runs for every path-like string of every call.
      if (prefilter && !includesAny(path, prefilter)) return undefined;
      const abs = path.slice(1);
      let rel: string | undefined;
      for (let i = 0; i < rootList.length; i += 1) {
        const rootSlash = rootList[i]!;
        if (path.startsWith(rootSlash)) {
          rel = path.slice(rootSlash.length);
          break;
        }
      }
      const hitAbs = absAll.test(abs);
      const hitRel = rel !== undefined && relAll.test(rel);
      if (!hitAbs && !hitRel) return undefined;
      // Rare path: say which pattern, for the audit record.
      for (const entry of compiled) {
        if (hitAbs && entry.abs?.test(abs)) return entry.pattern;
        if (hitRel && rel !== undefined && entry.rel?.test(rel)) return entry.pattern;
      }
      return undefined;
    },
  };
}

function includesAny(text: string, literals: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i += 1) if (text.includes(literals[i]!)) return true;
  return false;
}

function expandHome(pattern: string, home: string): string {
  const p = pattern.normalize('NFC').replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

function longestLiteral(glob: string, fold: boolean): string {
  const runs = glob.split(/[*?[\]{}()!+@\\]+/);
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return fold ? longest.toLowerCase() : longest;
}

/** Beyond these a string is content (file bodies, prose), not a path: THREAT_MODEL.md T5 residual. */
const MAX_PATH_LENGTH = 4096;
const MAX_TOKENISED_LENGTH = 1024;
const REMOTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const TOKEN_SPLIT = /[\s;|&<>()`'"=,]+/;
/** A string that looks like a path even without context (keys are only checked when they do). */
export const PATH_LOOKING = /[/\\]|^[.~]|%[0-9a-fA-F]{2}|^file:/i;

/** Without one of these, no token of a value can look like a path (PATH_LOOKING): no need to split it. */
const MAY_HOLD_PATH_TOKEN = /[/\\.~%]|file:/i;

const isRemoteUrl = (s: string): boolean => REMOTE_URL.test(s) && !/^file:/i.test(s);

/**
 * The parts of an argument string to check as paths: the whole value when it could be one, plus, in a
 * short one-line value with spaces (a command line), each token that looks like a path. Multi-line or
 * very long values are content, and non-`file:` URLs are remote; neither names a local path.
 */
export function pathCandidates(value: string): string[] {
  if (value.length === 0 || value.length > MAX_PATH_LENGTH || /[\r\n]/.test(value)) return [];
  if (isRemoteUrl(value)) return [];
  if (!/\s/.test(value) || value.length > MAX_TOKENISED_LENGTH || !MAY_HOLD_PATH_TOKEN.test(value)) return [value];
  const out = [value];
  for (const token of value.split(TOKEN_SPLIT)) {
    if (token.length > 0 && token !== value && PATH_LOOKING.test(token) && !isRemoteUrl(token)) out.push(token);
  }
  return out;
}

const MAX_DEPTH = 64;
const MAX_STRINGS = 10_000;

/** Whether to stop at `value` (a string in the arguments; `isKey` for a key). */
export type Visit = (value: string, isKey: boolean) => boolean;

/** Where a string sits in the arguments, e.g. `['files', 2, 'path']` for `files[2].path`. */
export type Trail = (string | number)[];

/**
 * Call `visit` for every string in a JSON-like value, keys included, until it returns true. Returns
 * 'done', the trail to the string it stopped at, or 'too_complex' past MAX_DEPTH / MAX_STRINGS (the
 * caller fails closed). The trail is built on the way out of a stop, so a walk that finds nothing
 * keeps none: this runs for every call.
 */
export function visitStrings(value: unknown, visit: Visit): 'done' | 'too_complex' | Trail {
  const walk: StringWalk = { visit, count: 0 };
  const outcome = walkStrings(value, 0, walk);
  return typeof outcome === 'string' ? outcome : outcome.reverse();
}

interface StringWalk {
  readonly visit: Visit;
  count: number;
}

/** The walk itself: a stop's trail comes back innermost key first. */
function walkStrings(node: unknown, depth: number, walk: StringWalk): 'done' | 'too_complex' | Trail {
  if (typeof node === 'string') return visitText(node, false, walk);
  if (node === null || typeof node !== 'object') return 'done';
  if (depth >= MAX_DEPTH) return 'too_complex';
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i += 1) {
      const outcome = walkStrings(node[i], depth + 1, walk);
      if (outcome === 'done') continue;
      if (typeof outcome !== 'string') outcome.push(i);
      return outcome;
    }
    return 'done';
  }
  // for…in with an own-property check visits what Object.keys would, without building its list.
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    let outcome = visitText(key, true, walk);
    if (outcome === 'done') outcome = walkStrings((node as Record<string, unknown>)[key], depth + 1, walk);
    if (outcome === 'done') continue;
    if (typeof outcome !== 'string') outcome.push(key);
    return outcome;
  }
  return 'done';
}

function visitText(value: string, isKey: boolean, walk: StringWalk): 'done' | 'too_complex' | Trail {
  walk.count += 1;
  if (walk.count > MAX_STRINGS) return 'too_complex';
  return walk.visit(value, isKey) ? [] : 'done';
}
