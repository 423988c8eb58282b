import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { picomatch } from '../../policy/lazy-picomatch.js';
import { checkNameCount, MAX_DIRECTORIES, TooManyNames } from './bounds.js';

/**
 * Expand a shell glob against the real tree, as bash would (no dotfiles unless the pattern names a
 * dot; `**` descends). Bounded, so a glob over a huge tree cannot stall the hook: past a bound it
 * throws TooManyNames rather than return part of the matches.
 */
const SKIP_DIRECTORIES = new Set(['node_modules', '.git']);

export interface GlobOptions {
  /** Wildcards match names starting with `.` too, as find's -name does (bash's globs do not). */
  readonly dot?: boolean;
  /** `{a,b}` is a pattern (ripgrep's globs), not literal text (bash has expanded it already). */
  readonly braces?: boolean;
}

export function expandGlob(pattern: string, cwd: string, options: GlobOptions = {}): string[] {
  const out: string[] = [];
  visitGlob(pattern, cwd, options, (path) => {
    checkNameCount(out.length + 1, `the glob ${pattern}`);
    out.push(path);
    return false;
  });
  return out;
}

/**
 * Call `visit` with each path the glob matches until it returns true (then this returns that path).
 * Reading more than MAX_DIRECTORIES directories throws TooManyNames.
 */
export function visitGlob(pattern: string, cwd: string, options: GlobOptions, visit: (path: string) => boolean): string | undefined {
  const absolute = isAbsolute(pattern);
  const segments = pattern.split('/').filter((s, i) => s.length > 0 || (i === 0 && absolute));
  let visited = 0;
  let found: string | undefined;
  const walk = (dir: string, index: number): void => {
    if (found !== undefined) return;
    if (index === segments.length) {
      if (visit(dir)) found = dir;
      return;
    }
    const segment = segments[index]!;
    if (segment === '' && index === 0) return walk('/', 1);
    if (!(options.braces === true ? /[*?[{]/ : /[*?[]/).test(segment)) return walk(join(dir, unescape(segment)), index + 1);
    visited += 1;
    if (visited > MAX_DIRECTORIES) throw new TooManyNames(`the glob ${pattern} reads more than ${MAX_DIRECTORIES} directories`);
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (segment === '**') {
      walk(dir, index + 1);
      for (const entry of entries) {
        if (entry.isDirectory() && !SKIP_DIRECTORIES.has(entry.name)) walk(join(dir, entry.name), index);
      }
      return;
    }
    const matches = picomatch()(segment, { dot: options.dot === true || segment.startsWith('.') });
    for (const entry of entries) if (matches(entry.name)) walk(join(dir, entry.name), index + 1);
  };
  walk(absolute ? '/' : cwd, absolute ? 1 : 0);
  return found;
}

const unescape = (segment: string): string => segment.replace(/\\(.)/g, '$1');
