/**
 * Where many literal keywords occur in a text, in one regex pass instead of one `includes` per
 * keyword (each full scan of a 4 KB text costs about a microsecond; fifty of them dominated the
 * scan). Keywords marked `boundary` only count where a word boundary precedes them; they get their
 * own regex, which checks the boundary first, so a keyword inside a word (`use` in `because`) costs
 * nothing (one regex with both kinds ran at every position and cost twice as much as two). Each
 * regex is a trie (`re(?:ad|turn)`), which V8 matches faster than a flat list of hundreds of words.
 * Keywords that begin with a letter and those that begin with anything else (`://`, `-us`, `_auth`)
 * get a regex each: punctuation is rare in text, and apart from the letters V8 passes over it
 * faster (the secret prefilter's 67 context words: 16 µs on 4 KB of prose in one regex, 12 in two).
 * Every occurrence is reported, including keywords that are prefixes of one another. (A hand-written
 * scanner was tried: on this V8, a charCodeAt loop costs more per character than the regex.)
 */
export interface Keyword {
  readonly text: string;
  readonly boundary: boolean;
}

interface Branch {
  readonly regex: RegExp;
  /** Matched text (the longest keyword there) → ids of it and of every keyword of this kind that is its prefix. */
  readonly implied: ReadonlyMap<string, readonly number[]>;
}

export class KeywordIndex {
  /** Keyword text by id. */
  readonly keywords: readonly string[];
  readonly #ids: ReadonlyMap<string, number>;
  readonly #branches: readonly Branch[];

  constructor(keywords: Iterable<Keyword | string>) {
    // A keyword listed both ways counts everywhere: a wider prefilter only costs a failed try.
    const anywhere = new Set<string>();
    const atBoundary = new Set<string>();
    for (const k of keywords) {
      const { text, boundary } = typeof k === 'string' ? { text: k, boundary: false } : k;
      if (text.length > 0) (boundary ? atBoundary : anywhere).add(text);
    }
    for (const text of anywhere) atBoundary.delete(text);
    this.keywords = [...anywhere, ...atBoundary];
    this.#ids = new Map(this.keywords.map((k, id) => [k, id]));
    const branch = (words: readonly string[], prefix: string): Branch[] => {
      if (words.length === 0) return [];
      const implied = new Map(words.map((k) => [k, words.filter((other) => k.startsWith(other)).map((other) => this.#ids.get(other)!)]));
      return [{ regex: new RegExp(prefix + trieSource(words), 'g'), implied }];
    };
    // A keyword and every keyword that is its prefix begin alike, so they stay in one branch.
    const byStart = (set: ReadonlySet<string>, prefix: string): Branch[] => {
      const letters = [...set].filter((k) => /^[a-z]/i.test(k));
      return [...branch(letters, prefix), ...branch([...set].filter((k) => !letters.includes(k)), prefix)];
    };
    this.#branches = [...byStart(anywhere, ''), ...byStart(atBoundary, '\\b')];
  }

  /** The id of `keyword`, or -1 when it is not in the index. */
  idOf(keyword: string): number {
    return this.#ids.get(keyword) ?? -1;
  }

  /** Every occurrence in `lower` (already lowercased), as flat (position, keyword id) pairs in position order. */
  hits(lower: string): number[] {
    return this.#branches.map((b) => branchHits(b, lower)).reduce(merge, []);
  }

  /** The ids of the keywords that occur in `lower`, each pushed once onto `into` (unless there already), which is returned. */
  found(lower: string, into: number[] = []): number[] {
    for (const branch of this.#branches) {
      const hits = branchHits(branch, lower);
      for (let k = 1; k < hits.length; k += 2) if (!into.includes(hits[k]!)) into.push(hits[k]!);
    }
    return into;
  }
}

function branchHits({ regex, implied }: Branch, lower: string): number[] {
  const out: number[] = [];
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(lower)) !== null) {
    const at = m.index;
    for (const id of implied.get(m[0])!) out.push(at, id);
    regex.lastIndex = at + 1;
  }
  return out;
}

/** Two (position, id) lists in position order, merged. */
function merge(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      out.push(a[i]!, a[i + 1]!);
      i += 2;
    } else {
      out.push(b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  return out;
}

/** A regex source matching the longest of `words` at a position: shared prefixes factored, continuations greedy. */
function trieSource(words: readonly string[]): string {
  interface Node {
    end: boolean;
    readonly next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const word of words) {
    let node = root;
    for (const ch of word) {
      let child = node.next.get(ch);
      if (child === undefined) node.next.set(ch, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  const emit = (node: Node): string => {
    if (node.next.size === 0) return '';
    const alternatives = [...node.next].map(([ch, child]) => escape(ch) + emit(child));
    const body = alternatives.length === 1 && !node.end ? alternatives[0]! : `(?:${alternatives.join('|')})`;
    return node.end ? `${body}?` : body;
  };
  return emit(root);
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\n/g, '\\n');
}
