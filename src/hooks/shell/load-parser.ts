import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomic } from '../../atomic-write.js';
import type * as MvdanSh from 'mvdan-sh';

/**
 * mvdan-sh (a GopherJS build of the Go `mvdan.cc/sh` parser, the most complete bash parser on npm)
 * costs ~70 ms to compile and run on this hardware, more than a whole `node -e 0`. V8 can skip most
 * of the compile when handed the code cache of an earlier run, so the hook keeps one beside the
 * compiled policy (under `.rea/cache/`, a governance directory the agent cannot write). V8 checks
 * the cache against the source and flags and ignores one that does not fit.
 */
export type Syntax = typeof MvdanSh.syntax;

const require = createRequire(import.meta.url);
let loaded: Syntax | undefined;

export function loadShellParser(cacheDir: string | undefined): Syntax {
  if (loaded !== undefined) return loaded;
  const file = require.resolve('mvdan-sh');
  const source = readFileSync(file, 'utf8');
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, 'mvdan-sh.v8cache');
  const cached = cacheFile === undefined ? undefined : readOptional(cacheFile);
  const script = new Script(Module.wrap(source), { filename: file, cachedData: cached });
  const mod = { exports: {} as { syntax: Syntax } };
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, require, mod, file, dirname(file));
  loaded = mod.exports.syntax;
  if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected === true)) {
    // Written after the first parse (flushParserCache), so the functions a parse needs are in it too.
    pendingSave = { cacheFile, script };
  }
  return loaded;
}

let pendingSave: { cacheFile: string; script: Script } | undefined;

/** Write the code cache now (the hook calls this after its first parse, before it answers). */
export function flushParserCache(): void {
  if (pendingSave === undefined) return;
  saveCache(pendingSave.cacheFile, pendingSave.script);
  pendingSave = undefined;
}

function saveCache(cacheFile: string, script: Script): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileAtomic(cacheFile, script.createCachedData());
  } catch {
    // A read-only .rea/ only costs speed.
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
