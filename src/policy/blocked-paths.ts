import picomatch from 'picomatch';
import { posix } from 'node:path';

/**
 * Blocked-path rules (THREAT_MODEL.md T5). Patterns follow .gitignore conventions: a trailing `/`
 * names a directory, a pattern without `/` matches at any depth (`.env`, `.rea/`), one with a `/`
 * is anchored at the project root (`config/secrets.yaml`), an absolute or `~/` pattern is absolute.
 * A match on a directory blocks everything below it. `.rea/` is always blocked.
 */

export const ALWAYS_BLOCKED = '.rea/';

interface CompiledPattern {
  readonly pattern: string;
  /** Tested against the absolute path without its leading `/`. */
  readonly abs: ((p: string) => boolean) | undefined;
  /** Tested against the path relative to the project root, when inside it. */
  readonly rel: ((p: string) => boolean) | undefined;
}

export interface BlockedPathRules {
  /** The pattern that blocks this absolute, normalised path, or undefined. */
  match(path: string): string | undefined;
}

export function compileBlockedPaths(patterns: readonly string[], roots: readonly string[], home: string, caseInsensitive: boolean): BlockedPathRules {
  const options = { dot: true, nocase: caseInsensitive };
  const compiled: CompiledPattern[] = [];
  for (const pattern of new Set([ALWAYS_BLOCKED, ...patterns])) {
    let p = pattern.normalize('NFC').replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
    if (p === '~' || p.startsWith('~/')) p = home + p.slice(1);
    if (p.length === 0) continue;
    const below = [p, `${p}/**`];
    if (p.startsWith('/')) compiled.push({ pattern, abs: picomatch(below.map((g) => g.slice(1)), options), rel: undefined });
    else if (p.includes('/')) compiled.push({ pattern, abs: undefined, rel: picomatch(below, options) });
    else compiled.push({ pattern, abs: picomatch([`**/${p}`, `**/${p}/**`], options), rel: undefined });
  }
  const fold = (s: string): string => (caseInsensitive ? s.toLowerCase() : s);
  const rootList = [...new Set(roots.map((r) => fold(posix.normalize(r)).replace(/\/+$/, '')))];
  return {
    match(path) {
      const abs = path.slice(1);
      let rel: string | undefined;
      for (const root of rootList) {
        if (path.startsWith(`${root}/`)) rel = path.slice(root.length + 1);
        if (rel !== undefined) break;
      }
      for (const entry of compiled) {
        if (entry.abs?.(abs)) return entry.pattern;
        if (rel !== undefined && entry.rel?.(rel)) return entry.pattern;
      }
      return undefined;
    },
  };
}

/** Beyond these a string is content (file bodies, prose), not a path: THREAT_MODEL.md T5 residual. */
const MAX_PATH_LENGTH = 4096;
const MAX_TOKENISED_LENGTH = 1024;
const REMOTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const TOKEN_SPLIT = /[\s;|&<>()`'"=,]+/;
const PATH_LOOKING = /[/\\]|^[.~]|%[0-9a-fA-F]{2}|^file:/i;

const isRemoteUrl = (s: string): boolean => REMOTE_URL.test(s) && !/^file:/i.test(s);

/**
 * The parts of an argument string to check as paths: the whole value when it could be one, plus, in a
 * short one-line value with spaces (a command line), each token that looks like a path. Multi-line or
 * very long values are content, and non-`file:` URLs are remote; neither names a local path.
 */
export function pathCandidates(value: string): string[] {
  if (value.length === 0 || value.length > MAX_PATH_LENGTH || /[\r\n]/.test(value)) return [];
  if (isRemoteUrl(value)) return [];
  if (!/\s/.test(value) || value.length > MAX_TOKENISED_LENGTH) return [value];
  const out = [value];
  for (const token of value.split(TOKEN_SPLIT)) {
    if (token.length > 0 && token !== value && PATH_LOOKING.test(token) && !isRemoteUrl(token)) out.push(token);
  }
  return out;
}

export const MAX_DEPTH = 64;
export const MAX_STRINGS = 10_000;

/** Where a string sits in the arguments, e.g. `files[2].path`; keys themselves are visited too. */
export type Visit = (value: string, trail: readonly (string | number)[]) => boolean;

/**
 * Call `visit` for every string in a JSON-like value, keys included, until it returns true. Returns
 * 'stopped', 'done', or 'too_complex' past MAX_DEPTH / MAX_STRINGS (the caller fails closed).
 */
export function visitStrings(value: unknown, visit: Visit): 'stopped' | 'done' | 'too_complex' {
  const trail: (string | number)[] = [];
  let count = 0;
  const walk = (node: unknown, depth: number): 'stopped' | 'done' | 'too_complex' => {
    if (typeof node === 'string') {
      count += 1;
      if (count > MAX_STRINGS) return 'too_complex';
      return visit(node, trail) ? 'stopped' : 'done';
    }
    if (node === null || typeof node !== 'object') return 'done';
    if (depth >= MAX_DEPTH) return 'too_complex';
    const isArray = Array.isArray(node);
    for (const key of Object.keys(node)) {
      trail.push(isArray ? Number(key) : key);
      let result: 'stopped' | 'done' | 'too_complex' = isArray ? 'done' : walk(key, depth + 1);
      if (result === 'done') result = walk((node as Record<string, unknown>)[key], depth + 1);
      trail.pop();
      if (result !== 'done') return result;
    }
    return 'done';
  };
  return walk(value, 0);
}
