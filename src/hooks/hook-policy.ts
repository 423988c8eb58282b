import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { errorMessage } from '../errors.js';
import type { Policy } from '../config/policy-schema.js';
import { reaPaths } from '../config/project-paths.js';

/**
 * The policy for one hook process. Loading YAML through zod costs a hook ~40 ms of start-up, so
 * the validated policy is cached as JSON under `.rea/cache/`, keyed by the policy file's identity
 * (device, inode, size, mtime, ctime): any edit misses the cache. The cache is also the last good
 * policy: when an edit is invalid, the hooks keep enforcing it (as the gateway does) and say so.
 */
export type HookPolicy =
  | { readonly kind: 'ok'; readonly policy: Policy; readonly note?: string }
  | { readonly kind: 'unusable'; readonly reason: string };

interface CacheEntry {
  readonly identity: string;
  readonly policy: Policy;
}

export function cacheDirOf(root: string): string {
  return join(reaPaths(root).dir, 'cache');
}

export async function loadHookPolicy(root: string): Promise<HookPolicy> {
  const file = reaPaths(root).policy;
  const cacheFile = join(cacheDirOf(root), 'policy.json');
  const identity = identityOf(file);
  const cached = readCache(cacheFile);
  if (cached !== undefined && cached.identity === identity) return { kind: 'ok', policy: cached.policy };
  const { loadProjectPolicy } = await import('../config/policy-loader.js');
  try {
    const { policy } = loadProjectPolicy(root);
    writeCache(cacheFile, { identity, policy });
    return { kind: 'ok', policy };
  } catch (error) {
    const reason = `.rea/policy.yaml is invalid: ${errorMessage(error)}`;
    if (cached !== undefined) return { kind: 'ok', policy: cached.policy, note: `${reason}; the last good policy applies` };
    return { kind: 'unusable', reason: `${reason}, and there is no last good policy to fall back on` };
  }
}

function identityOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (error) {
    return `absent:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

function readCache(file: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    return typeof entry.identity === 'string' && entry.policy !== null && typeof entry.policy === 'object' ? entry : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, entry: CacheEntry): void {
  try {
    ensureDir(join(file, '..'));
    writeFileAtomic(file, JSON.stringify(entry));
  } catch {
    // A read-only .rea/ only costs speed.
  }
}

/** Not recursive: a project without .rea/ gets no cache rather than a .rea/ it did not ask for. */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
