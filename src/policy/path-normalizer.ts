import { isAbsolute, posix } from 'node:path';

/**
 * Turn an argument string into the absolute paths a downstream might open (THREAT_MODEL.md T5).
 * Pure: the filesystem facts (symlinks, case folding) come in through `PathFacts`.
 */

export interface PathFacts {
  /** Directories a relative path may be resolved against: the server's cwd and the project root. */
  readonly bases: readonly string[];
  readonly home: string;
  /** Whether the filesystem folds case (probed once). */
  readonly caseInsensitive: boolean;
  /** Realpath (kernel semantics) of the longest existing prefix of a raw absolute path, the rest appended. */
  readonly realpath: (absolute: string) => string | undefined;
}

export type Normalized = { readonly kind: 'ok'; readonly paths: readonly string[] } | { readonly kind: 'malformed'; readonly reason: string };

const MAX_DECODE_ROUNDS = 8;
const ESCAPE = /%[0-9a-fA-F]{2}/;
const ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;
const FILE_SCHEME = /^file:(?:\/\/[^/\\%]*)?/i;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** `.`/`..` segments, doubled or trailing slashes: only then is lexical normalisation needed. */
const NEEDS_NORMALIZE = /\/\.{1,2}(?:\/|$)|\/\/|\/$/;

/** Percent-decode runs of `%XX` as UTF-8 bytes; a lone `%` stays literal. Invalid UTF-8 (overlong dots…) is malformed. */
function decodeOnce(value: string): string | undefined {
  try {
    return value.replace(ESCAPES, (run) => {
      const bytes = new Uint8Array(run.length / 3);
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
      return UTF8.decode(bytes);
    });
  } catch {
    return undefined;
  }
}

/** Strip `file:` schemes and percent-escapes until nothing changes (double encoding, encoded schemes). */
export function decodePathValue(value: string): { kind: 'ok'; value: string } | { kind: 'malformed'; reason: string } {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    // Tested first: a replace allocates even when nothing matches, and most values have no scheme.
    let next = FILE_SCHEME.test(current) ? current.replace(FILE_SCHEME, '') : current;
    if (ESCAPE.test(next)) {
      const decoded = decodeOnce(next);
      if (decoded === undefined) return { kind: 'malformed', reason: 'percent-escapes that are not valid UTF-8' };
      next = decoded;
    }
    if (next === current) {
      // A NUL ends the path for C-based servers: match on what they would open.
      const nul = current.indexOf('\0');
      return { kind: 'ok', value: nul === -1 ? current : current.slice(0, nul) };
    }
    current = next;
  }
  return { kind: 'malformed', reason: `more than ${MAX_DECODE_ROUNDS} layers of encoding` };
}

/** Every absolute spelling of the value to match: lexical and symlink-resolved, against each base. */
export function normalizePath(value: string, facts: PathFacts): Normalized {
  const decoded = decodePathValue(value);
  if (decoded.kind === 'malformed') return decoded;
  let text = decoded.value.normalize('NFC');
  if (text.includes('\\')) text = text.replace(/\\/g, '/');
  if (text === '~' || text.startsWith('~/')) text = facts.home + text.slice(1);
  if (text.length === 0) return { kind: 'ok', paths: [] };
  // The raw join keeps `..` after a symlink for the kernel to resolve; the lexical form is what a
  // server that normalises before opening (Node's path.resolve) would open. Both are matched.
  // Indexed, without a closure: this runs for every path-like string of every call.
  let paths: string[] | undefined;
  if (isAbsolute(text)) {
    paths = addFrom(text, facts, paths);
  } else {
    for (let i = 0; i < facts.bases.length; i += 1) {
      const base = facts.bases[i]!;
      paths = addFrom(base ? `${base}/${text}` : text, facts, paths);
    }
  }
  return { kind: 'ok', paths: paths ?? [] };
}

/** Adds `raw` as written (normalised) and as it resolves on disk, each once. */
function addFrom(raw: string, facts: PathFacts, paths: string[] | undefined): string[] {
  const added = addOnce(NEEDS_NORMALIZE.test(raw) ? trimSlash(posix.normalize(raw)) : raw, facts, paths);
  const real = facts.realpath(raw);
  return real === undefined ? added : addOnce(real, facts, added);
}

/** The list with `p` added unless it holds it; the first makes a list of one (most strings have one path). */
function addOnce(p: string, facts: PathFacts, paths: string[] | undefined): string[] {
  const folded = facts.caseInsensitive ? p.toLowerCase() : p;
  if (paths === undefined) return [folded];
  if (!paths.includes(folded)) paths.push(folded);
  return paths;
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}
