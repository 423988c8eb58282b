import { readdirSync, realpathSync, type Dirent } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { compileBlockedPaths, KEYS_DIRECTORY, type BlockedPathRules } from '../policy/blocked-paths.js';
import { normalizePath, type PathFacts } from '../policy/path-normalizer.js';
import { probeCaseInsensitive } from '../policy/real-path.js';
import { compileGovernanceRules } from '../policy/governance-paths.js';

/**
 * Where a path the agent names leads, for the native tools: the policy's blocked paths (no access
 * at all) and the governance files (readable, but only a human may change them). Paths are
 * resolved the way the gateway resolves them (policy/path-normalizer.ts): `..`, `~`,
 * percent-escapes, symlinks, case folding.
 */
export interface PathJudge {
  readonly root: string;
  readonly home: string;
  /** Why no tool may touch this path, or undefined. */
  blocked(value: string, cwd?: string): string | undefined;
  /** Why the agent may not change this path, or undefined. */
  governance(value: string, cwd?: string): string | undefined;
  /** Why the agent may not remove or replace this directory whole: it holds governance files. */
  holdsGovernance(value: string, cwd?: string): string | undefined;
  /** Every absolute spelling of the path (lexical and symlink-resolved). */
  resolve(value: string, cwd?: string): readonly string[];
  insideProject(absolute: string): boolean;
  /** A blocked file somewhere below this directory (bounded search), or undefined. */
  blockedInside(directory: string): string | undefined;
}

const MAX_SEARCHED_ENTRIES = 5_000;

export function createPathJudge(root: string, home: string, blockedPatterns: readonly string[]): PathJudge {
  const caseInsensitive = probeCaseInsensitive(root);
  let realRoot = root;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    // A root that does not exist resolves like any other path.
  }
  const roots = [root, realRoot];
  const blockedRules = compileBlockedPaths(blockedPatterns, roots, home, caseInsensitive, [KEYS_DIRECTORY]);
  const governanceRules = compileGovernanceRules(root, home, caseInsensitive);
  const facts = (cwd: string | undefined): PathFacts => ({ bases: cwd === undefined || cwd === root ? [root] : [cwd, root], home, caseInsensitive, realpath: realpathOfPrefix });
  const resolvePaths = (value: string, cwd?: string): readonly string[] => {
    const normalized = normalizePath(value, facts(cwd));
    return normalized.kind === 'ok' ? normalized.paths : [];
  };
  const judge = (rules: BlockedPathRules, what: string) => (value: string, cwd?: string): string | undefined => {
    if (value.length === 0 || value.length > 4096) return undefined;
    const normalized = normalizePath(value, facts(cwd));
    if (normalized.kind === 'malformed') return `${clip(value)} has ${normalized.reason}`;
    for (const path of normalized.paths) {
      const pattern = rules.match(path);
      if (pattern !== undefined) return `${clip(path)} is ${what} (\`${pattern}\`)`;
    }
    return undefined;
  };
  const projectPrefixes = roots.map((r) => (caseInsensitive ? r.toLowerCase() : r));
  return {
    root,
    home,
    blocked: judge(blockedRules, 'a blocked path'),
    governance: judge(governanceRules, 'a governance file only a human may change'),
    holdsGovernance: judge({ match: governanceRules.holder }, 'a directory holding a governance file only a human may change'),
    resolve: resolvePaths,
    insideProject: (absolute) => projectPrefixes.some((r) => absolute === r || absolute.startsWith(`${r}/`)),
    blockedInside: (directory) => searchBlocked(directory, (path) => blockedRules.match(caseInsensitive ? path.toLowerCase() : path)),
  };
}

/** Breadth-first through a directory tree (not node_modules or .git), stopping at the first blocked path. */
function searchBlocked(directory: string, match: (path: string) => string | undefined): string | undefined {
  const queue = [directory];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_SEARCHED_ENTRIES) {
    const dir = queue.shift()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      seen += 1;
      const path = join(dir, entry.name);
      if (match(path) !== undefined) return path;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') queue.push(path);
    }
  }
  return undefined;
}

/** Realpath of the longest existing prefix, the rest appended (what the kernel would open). */
function realpathOfPrefix(absolute: string): string | undefined {
  let head = absolute;
  let tail = '';
  for (let i = 0; i < 64; i += 1) {
    try {
      const real = realpathSync.native(head);
      return tail ? posix.join(real, tail) : real;
    } catch {
      const parent = dirname(head);
      if (parent === head) return undefined;
      tail = tail ? `${head.slice(parent.length + 1)}/${tail}` : head.slice(parent.length + 1);
      head = parent;
    }
  }
  return undefined;
}

/** `core.hooksPath` from the repository's config, without spawning git (a hook must start fast). */
const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 197)}...` : s);
