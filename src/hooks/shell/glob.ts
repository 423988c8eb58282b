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

/** `dot`: wildcards match names starting with `.` too, as find's -name does (bash's globs do not). */
export function expandGlob(pattern: string, cwd: string, options: { readonly dot?: boolean } = {}): string[] {
  const absolute = isAbsolute(pattern);
  const segments = pattern.split('/').filter((s, i) => s.length > 0 || (i === 0 && absolute));
  const out: string[] = [];
  let visited = 0;
  const walk = (dir: string, index: number): void => {
    if (index === segments.length) {
      checkNameCount(out.length + 1, `the glob ${pattern}`);
      out.push(dir);
      return;
    }
    const segment = segments[index]!;
    if (segment === '' && index === 0) return walk('/', 1);
    if (!/[*?[]/.test(segment)) return walk(join(dir, unescape(segment)), index + 1);
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
  return out;
}

const unescape = (segment: string): string => segment.replace(/\\(.)/g, '$1');
