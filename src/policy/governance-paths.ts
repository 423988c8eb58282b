import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlockedPathRules } from './blocked-paths.js';

/**
 * The governance files: what rea reads its orders from or runs as (policy, HALT, the audit log, the
 * Claude Code settings that register its hooks, `.mcp.json` that routes servers through it, the git
 * gates, rea's own code). The agent may read them; only a human may change them, through any channel
 * (the hooks for Claude Code's own tools, the gateway for MCP tools that write).
 */

/** rea's own installation: the hook scripts and the code they run (`dist/<dir>/` → the package). */
const REA_PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function governancePatterns(root: string): string[] {
  return [
    '/.rea/',
    '/.rea.lock/',
    '/.claude/settings.json',
    '/.claude/settings.local.json',
    '/.mcp.json',
    '/.husky/',
    '/.git/hooks/',
  ]
    .map((p) => `${root}${p}`)
    // The user's own Claude Code settings can turn every hook off (`disableAllHooks`).
    .concat(hooksPathOf(root), [`${REA_PACKAGE_ROOT}/hooks/`, `${REA_PACKAGE_ROOT}/dist/`, '~/.config/rea/', '~/.claude/settings.json', '~/.claude/settings.local.json']);
}

export interface GovernanceRules extends BlockedPathRules {
  /** The governance path this directory is an ancestor of, if any. */
  holder(path: string): string | undefined;
}

export function compileGovernanceRules(root: string, home: string, caseInsensitive: boolean): GovernanceRules {
  return prefixRules(governancePatterns(root), home, caseInsensitive);
}

/**
 * The governance files are literal paths (a trailing `/` for a directory), so plain prefix tests
 * do: compiling them as globs would cost every hook a few milliseconds for nothing.
 */
function prefixRules(patterns: readonly string[], home: string, caseInsensitive: boolean): GovernanceRules {
  const fold = (p: string): string => (caseInsensitive ? p.toLowerCase() : p);
  const entries = patterns.map((pattern) => {
    const expanded = fold(pattern.startsWith('~/') ? home + pattern.slice(1) : pattern);
    return { pattern, dir: expanded.endsWith('/') ? expanded.slice(0, -1) : undefined, file: expanded.endsWith('/') ? undefined : expanded };
  });
  return {
    match(path) {
      for (const e of entries) {
        if (e.file !== undefined && path === e.file) return e.pattern;
        if (e.dir !== undefined && (path === e.dir || path.startsWith(`${e.dir}/`))) return e.pattern;
      }
      return undefined;
    },
    holder(path) {
      const prefix = path.endsWith('/') ? path : `${path}/`;
      for (const e of entries) if ((e.file ?? e.dir!).startsWith(prefix)) return e.pattern;
      return undefined;
    },
  };
}


function hooksPathOf(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(root, '.git', 'config'), 'utf8');
  } catch {
    return [];
  }
  const match = /^\s*hookspath\s*=\s*(.+?)\s*$/im.exec(text);
  if (!match) return [];
  const value = match[1]!.replace(/^"|"$/g, '');
  return [`${resolve(root, value)}/`];
}
