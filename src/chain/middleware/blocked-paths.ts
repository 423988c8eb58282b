import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { LoadedPolicy } from '../../config/policy-source.js';
import { compileBlockedPaths, PATH_LOOKING, pathCandidates, visitStrings, type BlockedPathRules, type Trail } from '../../policy/blocked-paths.js';
import { compileGovernanceRules } from '../../policy/governance-paths.js';
import { normalizePath, type PathFacts } from '../../policy/path-normalizer.js';
import { probeCaseInsensitive, RealPathResolver } from '../../policy/real-path.js';
import { deny, STOPPED, type Middleware } from '../types.js';

/** What the agent sees; the audit record names the argument, the path and the pattern. */
const BLOCKED_PATH_MESSAGE = 'blocked path';

/**
 * Stage `blocked-paths`: refuse a request when any string in its arguments (keys included, any depth)
 * names a blocked path once normalised (policy/path-normalizer.ts), or cannot be decoded
 * (THREAT_MODEL.md T5). Resource reads check their URI too. A tool that writes (tier write or
 * destructive) may not name a governance file either: a filesystem server must not rewrite
 * `.claude/settings.json` or `.mcp.json` to take rea out of the loop (T21).
 */
export function blockedPaths(projectRoot: string): Middleware {
  const caseInsensitive = probeCaseInsensitive(projectRoot);
  const known = new Map<string, string>();
  // Only the project root's realpath is cached: it is the operator's. A server cwd below it could be
  // swapped for a symlink by the agent, so it is resolved on every call like any other path.
  try {
    known.set(projectRoot, realpathSync.native(projectRoot));
  } catch {
    // A root that does not exist resolves through its parents like any other path.
  }
  const resolver = new RealPathResolver(known, caseInsensitive);
  const roots = [projectRoot, known.get(projectRoot) ?? projectRoot];
  const home = homedir();
  const governance = compileGovernanceRules(projectRoot, home, caseInsensitive);
  let compiledFor: LoadedPolicy | undefined;
  let rules: BlockedPathRules | undefined;
  const basesByCwd = new Map<string, readonly string[]>();
  const factsFor = (cwd: string): PathFacts => {
    let bases = basesByCwd.get(cwd);
    if (!bases) {
      bases = [...new Set([cwd, projectRoot])];
      if (basesByCwd.size < 1000) basesByCwd.set(cwd, bases);
    }
    return { bases, home, caseInsensitive, realpath: resolver.session() };
  };
  return function blockedPaths(ctx, next) {
    const loaded = ctx.policy;
    if (loaded !== compiledFor || !rules) {
      rules = compileBlockedPaths(loaded.policy.blocked_paths, roots, home, caseInsensitive);
      compiledFor = loaded;
    }
    const facts = factsFor(ctx.serverCwd);
    const subject = ctx.surface === 'resource' ? { uri: ctx.name, arguments: ctx.args } : ctx.args;
    let finding: string | undefined;
    const outcome = visitStrings(subject, (value, isKey) => {
      // A key is checked only when it looks like a path: `path`, `content` and the like are not.
      if (isKey && !PATH_LOOKING.test(value)) return false;
      finding = check(value, rules!, facts, ctx.tier === 'read' ? undefined : governance);
      return finding !== undefined;
    });
    if (outcome === 'done') return next();
    const reason = outcome === 'too_complex' ? 'arguments too deeply nested or too many strings to check for blocked paths' : `argument ${trailText(outcome)} ${finding!}`;
    deny(ctx, 'blocked_path', 'blocked-paths', reason, BLOCKED_PATH_MESSAGE);
    return STOPPED;
  };
}

/** What is wrong with `value`, said after the argument's name; undefined when nothing is. */
function check(value: string, rules: BlockedPathRules, facts: PathFacts, governance: BlockedPathRules | undefined): string | undefined {
  // Indexed loops: this runs for every string of every call.
  const candidates = pathCandidates(value);
  for (let c = 0; c < candidates.length; c += 1) {
    const normalized = normalizePath(candidates[c]!, facts);
    if (normalized.kind === 'malformed') return `has ${normalized.reason}`;
    for (let p = 0; p < normalized.paths.length; p += 1) {
      const path = normalized.paths[p]!;
      const pattern = rules.match(path);
      if (pattern !== undefined) return `names ${clip(path)}, blocked by \`${pattern}\``;
      if (governance?.match(path) !== undefined) return `names ${clip(path)}, a governance file only a human may change`;
    }
  }
  return undefined;
}

function trailText(trail: Trail): string {
  if (trail.length === 0) return '(value)';
  return trail.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 197)}...` : s);
