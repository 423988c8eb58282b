import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';

/**
 * The filesystem facts path normalisation needs (THREAT_MODEL.md T5): where symlinks point, and
 * whether case folds. This is the one module under policy/ that touches the filesystem.
 *
 * Resolving symlinks costs a syscall per path component, and an argument object holds many strings,
 * so directory listings are cached and revalidated with one stat per directory per call: adding,
 * removing or replacing an entry (a symlink included) changes the directory's mtime/ctime. A listing
 * read within RACY_MS of the directory's last change is not trusted, because a second change in the
 * same timestamp tick would not move the mtime (the "racy git" problem); such directories are walked
 * with lstat instead.
 */

const RACY_MS = 100;
const MAX_ENTRIES = 4096;
const MAX_LISTINGS = 512;
const MAX_LINK_HOPS = 40;

interface Listing {
  /** The directory's stat when listed: a listing is trusted while these four stay the same. */
  readonly stamp: Stamp;
  /** Entry name → symlink target, or null for anything that is not a symlink. */
  readonly entries: ReadonlyMap<string, string | null>;
}

type Entry = { kind: 'missing' } | { kind: 'plain' } | { kind: 'link'; target: string };
const MISSING: Entry = Object.freeze({ kind: 'missing' });
const PLAIN: Entry = Object.freeze({ kind: 'plain' });

// Millisecond floats keep sub-microsecond precision today; bigint stats cost an allocation per Date.
// Compared as numbers: a text stamp cost four number-to-text conversions per directory per call.
interface Stamp {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}
const stampOf = (s: Stats): Stamp => ({ mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, dev: s.dev });
const sameStamp = (a: Stamp, s: Stats): boolean => a.mtimeMs === s.mtimeMs && a.ctimeMs === s.ctimeMs && a.ino === s.ino && a.dev === s.dev;

export class RealPathResolver {
  private readonly listings = new Map<string, Listing>();
  /**
   * Directories found too fresh to list (the project root, while the audit lock comes and goes
   * beside `.rea/`), until when: they are walked with lstat without first paying a stat that would
   * only say, again, that they changed within RACY_MS.
   */
  private readonly racyUntil = new Map<string, number>();
  /** Known directories, longest first, each as [its path with a trailing slash, its realpath]. */
  private readonly prefixes: readonly (readonly [string, string])[];

  /**
   * `known`: directories whose realpath is fixed for the life of the gateway (the project root).
   * On a case-folding filesystem, listings are looked up case-insensitively, as the kernel would.
   */
  constructor(
    known: ReadonlyMap<string, string>,
    private readonly caseInsensitive = false,
  ) {
    this.prefixes = [...known.entries()].sort((a, b) => b[0].length - a[0].length).map(([dir, real]) => [`${dir}/`, real] as const);
  }

  /** A resolver for one request: each directory is revalidated at most once per request. */
  session(): (raw: string) => string | undefined {
    // Made on the first lookup of a listable directory.
    let validated: Map<string, Listing | undefined> | undefined;
    const lookup = (dir: string, name: string): Entry => {
      // A directory too fresh to list is walked with lstat, with nothing to remember for it: the
      // project root while the audit lock comes and goes, so a busy gateway's requests make no map.
      if (this.isRacy(dir)) return lstatEntry(dir === '/' ? `/${name}` : `${dir}/${name}`);
      validated ??= new Map();
      let listing = validated.get(dir);
      if (!validated.has(dir)) {
        listing = this.listing(dir);
        validated.set(dir, listing);
      }
      if (listing) {
        const target = listing.entries.get(this.caseInsensitive ? name.toLowerCase() : name);
        if (target === undefined) return MISSING;
        return target === null ? PLAIN : { kind: 'link', target };
      }
      return lstatEntry(dir === '/' ? `/${name}` : `${dir}/${name}`);
    };
    return (raw) => {
      let start = '/';
      let rest = raw;
      // Indexed, not for-of with destructuring: this runs for every path-like string of every call.
      for (let i = 0; i < this.prefixes.length; i += 1) {
        const prefix = this.prefixes[i]!;
        if (raw.startsWith(prefix[0])) {
          start = prefix[1];
          rest = raw.slice(prefix[0].length);
          break;
        }
      }
      return walk(start, rest.split('/'), lookup, { count: 0 });
    };
  }

  private isRacy(dir: string): boolean {
    const until = this.racyUntil.get(dir);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.racyUntil.delete(dir);
    return false;
  }

  private listing(dir: string): Listing | undefined {
    const before = safeStat(dir);
    if (!before?.isDirectory()) return undefined;
    const cached = this.listings.get(dir);
    if (cached !== undefined && sameStamp(cached.stamp, before)) return cached;
    const now = Date.now();
    const changedAt = Math.max(before.mtimeMs, before.ctimeMs);
    if (now - changedAt < RACY_MS) {
      if (this.racyUntil.size >= MAX_LISTINGS) this.racyUntil.clear();
      this.racyUntil.set(dir, changedAt + RACY_MS);
      return undefined;
    }
    let entries: Map<string, string | null>;
    try {
      const dirents = readdirSync(dir, { withFileTypes: true });
      if (dirents.length > MAX_ENTRIES) return undefined;
      const key = (name: string): string => (this.caseInsensitive ? name.toLowerCase() : name);
      entries = new Map(dirents.map((d) => [key(d.name), d.isSymbolicLink() ? readlinkSync(`${dir}/${d.name}`) : null]));
    } catch {
      return undefined;
    }
    const after = safeStat(dir);
    if (!after || !sameStamp(stampOf(before), after)) return undefined;
    if (this.listings.size >= MAX_LISTINGS) this.listings.clear();
    const listing = { stamp: stampOf(before), entries };
    this.listings.set(dir, listing);
    return listing;
  }
}

/** One options object for every stat: a literal per call is an allocation per call. */
const MISSING_IS_UNDEFINED = { throwIfNoEntry: false } as const;

function safeStat(path: string): Stats | undefined {
  try {
    return statSync(path, MISSING_IS_UNDEFINED);
  } catch {
    return undefined;
  }
}

function lstatEntry(path: string): Entry {
  try {
    const stat = lstatSync(path, MISSING_IS_UNDEFINED);
    if (!stat) return MISSING;
    return stat.isSymbolicLink() ? { kind: 'link', target: readlinkSync(path) } : PLAIN;
  } catch {
    return MISSING; // ENOTDIR and friends: nothing below exists.
  }
}

/**
 * Resolve like the kernel (symlinks followed, `..` applied to the real parent) for the part that
 * exists, then append the rest lexically. A dangling symlink is followed to its target, since writing
 * through it creates the target. Undefined past MAX_LINK_HOPS (a loop).
 */
function walk(start: string, parts: readonly string[], lookup: (dir: string, name: string) => Entry, hops: { count: number }): string | undefined {
  let cur = start;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      cur = posix.dirname(cur);
      continue;
    }
    const entry = lookup(cur, part);
    const next = cur === '/' ? `/${part}` : `${cur}/${part}`;
    if (entry.kind === 'missing') {
      // The usual case, a missing last component, is already normal: a real directory plus a plain name.
      if (i === parts.length - 1) return next;
      return posix.normalize([next, ...parts.slice(i + 1)].join('/')).replace(/(.)\/+$/, '$1');
    }
    if (entry.kind === 'link') {
      hops.count += 1;
      if (hops.count > MAX_LINK_HOPS) return undefined;
      const resolved = walk(entry.target.startsWith('/') ? '/' : cur, entry.target.split('/'), lookup, hops);
      if (resolved === undefined) return undefined;
      cur = resolved;
      continue;
    }
    cur = next;
  }
  return cur;
}

/** Whether the filesystem holding `dir` folds case: stat it with its letters' case flipped. */
export function probeCaseInsensitive(dir: string): boolean {
  const flipped = dir.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  if (flipped === dir) return false;
  const a = safeStat(dir);
  const b = safeStat(flipped);
  return a !== undefined && b !== undefined && a.ino === b.ino && a.dev === b.dev;
}
