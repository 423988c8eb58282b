/**
 * Which of many literal keywords occur in a text, in one regex pass instead of one `includes` per
 * keyword (each full scan of a 4 KB text costs about a microsecond; fifty of them dominated the
 * scan). Matches may overlap, and a keyword found also marks every keyword it contains.
 */
export class KeywordIndex {
  readonly #regex: RegExp | undefined;
  readonly #implied: ReadonlyMap<string, readonly string[]>;

  constructor(keywords: Iterable<string>) {
    const unique = [...new Set(keywords)].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
    this.#regex = unique.length === 0 ? undefined : new RegExp(unique.map(escape).join('|'), 'g');
    this.#implied = new Map(unique.map((k) => [k, unique.filter((other) => k.includes(other))]));
  }

  /** The keywords present in `lower` (already lowercased). */
  found(lower: string): Set<string> {
    const seen = new Set<string>();
    const re = this.#regex;
    if (re === undefined) return seen;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(lower)) !== null) {
      for (const k of this.#implied.get(m[0]) ?? [m[0]]) seen.add(k);
      re.lastIndex = m.index + 1;
    }
    return seen;
  }
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
