import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { compiledGlobEntries, preloadCompiledGlobs } from '../policy/blocked-paths.js';

/**
 * The blocked-path globs, compiled to regexes once and kept under `.rea/cache/globs.json`
 * (a governance directory): a hook then neither loads picomatch nor compiles the same globs again.
 */
export function loadGlobCache(cacheDir: string): number {
  try {
    const entries = JSON.parse(readFileSync(join(cacheDir, 'globs.json'), 'utf8')) as Record<string, string>;
    preloadCompiledGlobs(entries);
    return Object.keys(entries).length;
  } catch {
    return 0;
  }
}

export function saveGlobCache(cacheDir: string, loaded: number): void {
  const entries = compiledGlobEntries();
  if (Object.keys(entries).length === loaded) return;
  try {
    writeFileAtomic(join(cacheDir, 'globs.json'), JSON.stringify(entries));
  } catch {
    // No cache directory (no .rea/, or read-only): only speed is lost.
  }
}
