import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import type { LoadedPolicy } from '../../config/policy-source.js';
import { compileBlockedPaths, pathCandidates, visitStrings, type BlockedPathRules } from '../../policy/blocked-paths.js';
import { normalizePath, type PathFacts } from '../../policy/path-normalizer.js';
import { deny, type Middleware } from '../types.js';

/** What the agent sees; the audit record names the argument, the path and the pattern. */
export const BLOCKED_PATH_MESSAGE = 'blocked path';

/**
 * Stage `blocked-paths`: refuse a request when any string in its arguments (keys included, any depth)
 * names a blocked path once normalised (policy/path-normalizer.ts), or cannot be decoded
 * (THREAT_MODEL.md T5). Resource reads check their URI too.
 */
export function blockedPaths(getPolicy: () => LoadedPolicy, projectRoot: string): Middleware {
  const caseInsensitive = probeCaseInsensitive(projectRoot);
  const realRoot = realpathPrefix(projectRoot) ?? projectRoot;
  const roots = [projectRoot, realRoot];
  const home = homedir();
  let compiledFor: LoadedPolicy | undefined;
  let rules: BlockedPathRules | undefined;
  const factsByCwd = new Map<string, PathFacts>();
  const factsFor = (cwd: string): PathFacts => {
    let facts = factsByCwd.get(cwd);
    if (!facts) {
      facts = { bases: [...new Set([cwd, projectRoot])], home, caseInsensitive, realpath: realpathPrefix };
      if (factsByCwd.size < 1000) factsByCwd.set(cwd, facts);
    }
    return facts;
  };
  return async function blockedPaths(ctx, next) {
    const loaded = getPolicy();
    if (loaded !== compiledFor || !rules) {
      rules = compileBlockedPaths(loaded.policy.blocked_paths, roots, home, caseInsensitive);
      compiledFor = loaded;
    }
    const facts = factsFor(ctx.serverCwd);
    const subject = ctx.surface === 'resource' ? { uri: ctx.name, arguments: ctx.args } : ctx.args;
    let finding: string | undefined;
    const outcome = visitStrings(subject, (value, trail) => {
      finding = check(value, trail, rules!, facts);
      return finding !== undefined;
    });
    if (outcome === 'too_complex') {
      deny(ctx, 'blocked_path', 'blocked-paths', 'arguments too deeply nested or too many strings to check for blocked paths', BLOCKED_PATH_MESSAGE);
      return;
    }
    if (finding !== undefined) {
      deny(ctx, 'blocked_path', 'blocked-paths', finding, BLOCKED_PATH_MESSAGE);
      return;
    }
    await next();
  };
}

function check(value: string, trail: readonly (string | number)[], rules: BlockedPathRules, facts: PathFacts): string | undefined {
  for (const candidate of pathCandidates(value)) {
    const normalized = normalizePath(candidate, facts);
    const where = trailText(trail);
    if (normalized.kind === 'malformed') return `argument ${where} has ${normalized.reason}`;
    for (const path of normalized.paths) {
      const pattern = rules.match(path);
      if (pattern !== undefined) return `argument ${where} names ${clip(path)}, blocked by \`${pattern}\``;
    }
  }
  return undefined;
}

function trailText(trail: readonly (string | number)[]): string {
  if (trail.length === 0) return '(value)';
  return trail.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 197)}...` : s);

/** Kernel realpath of the longest existing prefix of an absolute path, the rest appended lexically. */
export function realpathPrefix(absolute: string): string | undefined {
  try {
    return realpathSync.native(absolute);
  } catch {
    // Not all of it exists: walk up below.
  }
  const parts = absolute.split('/');
  for (let end = parts.length - 1; end > 1; end -= 1) {
    try {
      const real = realpathSync.native(parts.slice(0, end).join('/'));
      return posix.normalize(`${real}/${parts.slice(end).join('/')}`).replace(/(.)\/+$/, '$1');
    } catch {
      // Keep walking up; `/` always exists.
    }
  }
  return undefined;
}

/** Whether the filesystem holding `dir` folds case: stat it with its letters' case flipped. */
export function probeCaseInsensitive(dir: string): boolean {
  const flipped = dir.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  if (flipped === dir) return false;
  try {
    const a = statSync(dir);
    const b = statSync(flipped);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}
