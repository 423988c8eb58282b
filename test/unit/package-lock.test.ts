import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** One `packages` entry of a lockfile v3. */
interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

/** Where Node (and npm ci) would find `name` when required from the package at `from`. */
function resolveInLock(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (candidate in lock.packages) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** What npm ci installs for one entry: all its dependencies, optional ones for every platform included. */
function neededBy(path: string, entry: LockEntry): string[] {
  const optionalPeers = new Set(
    Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional === true).map(([n]) => n),
  );
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...(path === '' ? Object.keys(entry.devDependencies ?? {}) : []),
    ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
  ];
}

describe('package-lock.json', () => {
  it('is a lockfile v3, which npm ci on Node 20 reads', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  // npm ci refuses a lock that leaves out a dependency it would install, and platform builds such as
  // rollup's `@rollup/rollup-*` are optional dependencies it records for every platform, not just ours.
  it('holds an entry for every dependency npm ci would install, optional platform builds included', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path.startsWith('node_modules/') || path === '') {
        for (const name of neededBy(path, entry)) {
          if (resolveInLock(path, name) === undefined) missing.push(`${path || '(root)'} → ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("lists every one of rollup's optional platform packages", () => {
    const rollup = lock.packages['node_modules/rollup'];
    const platforms = Object.keys(rollup?.optionalDependencies ?? {}).filter((n) => n.startsWith('@rollup/rollup-'));
    expect(platforms.length).toBeGreaterThan(10);
    expect(platforms.filter((n) => resolveInLock('node_modules/rollup', n) === undefined)).toEqual([]);
  });
});
