/**
 * Staged files on a policy `blocked_paths` path (THREAT_MODEL.md T5, T20): the same rules the
 * gateway compiles, applied to the paths a commit adds. `.gitignore` does not protect a file that is
 * forced in (`git add -f .env`); this does.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { compileBlockedPaths } from '../policy/blocked-paths.js';
import { probeCaseInsensitive } from '../policy/real-path.js';

/** The pattern that blocks a repository-relative path, or undefined. */
export type StagedPathRule = (path: string) => string | undefined;

/**
 * Only the policy's own patterns refuse a commit. The ones rea always adds (`.rea/`, the audit lock,
 * the key directory) keep the agent's tools away from governance files; a team commits
 * `.rea/policy.yaml` and `.rea/registry.yaml` on purpose.
 */
export function compileStagedPathRule(blockedPaths: readonly string[], projectRoot: string, top: string): StagedPathRule {
  const caseInsensitive = probeCaseInsensitive(projectRoot);
  const roots = [projectRoot, realOrSelf(projectRoot)];
  const rules = compileBlockedPaths(blockedPaths, roots, homedir(), caseInsensitive);
  const own = new Set(blockedPaths);
  const base = realOrSelf(top);
  return (path) => {
    for (const prefix of new Set([top, base])) {
      const absolute = posix.join(prefix, path).normalize('NFC');
      const pattern = rules.match(caseInsensitive ? absolute.toLowerCase() : absolute);
      if (pattern !== undefined && own.has(pattern)) return pattern;
    }
    return undefined;
  };
}

function realOrSelf(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}
