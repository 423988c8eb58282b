/**
 * Literal prefixes of injection signals, derived once from each signal's source. Every match of a
 * signal starts with one of its needles, so the classifier tries a signal only where a needle occurs
 * (signal-scan.ts). The literal is followed through groups of literal alternatives
 * (`the (?:above|previous) ` gives `the above `, `the previous `): a longer needle occurs less often,
 * and each occurrence costs a regex call. A needle behind a leading `\b` only counts at a word boundary.
 * Returns undefined when some alternative has no literal prefix (the signal then runs over the whole
 * text), including alternatives anchored with `^` or `\n`, which would make every line a candidate.
 */
export interface Needle {
  readonly text: string;
  /** The alternative starts with `\b`: the needle only counts where a word boundary precedes it. */
  readonly boundary: boolean;
}

interface Prefix extends Needle {
  /** The whole alternative was literal, so what follows the enclosing group can be appended. */
  readonly complete: boolean;
}

/** Above this many prefixes for one alternative, stop expanding (the prefixes found so far stay valid). */
const MAX_PREFIXES = 64;

export function deriveNeedles(source: string): Needle[] | undefined {
  const prefixes = prefixesOf(source);
  if (prefixes === undefined || prefixes.some((p) => p.text.length === 0 || p.text.startsWith('\n'))) return undefined;
  return prefixes.map(({ text, boundary }) => ({ text, boundary }));
}

function prefixesOf(source: string): Prefix[] | undefined {
  const out: Prefix[] = [];
  for (const alternative of splitTopLevel(source)) {
    const prefixes = alternativePrefixes(alternative);
    if (prefixes === undefined) return undefined;
    out.push(...prefixes);
  }
  return out;
}

/** Literal characters, escaped punctuation and unquantified groups, from the start of `alt`. */
function alternativePrefixes(alt: string): Prefix[] | undefined {
  if (alt.startsWith('^')) return undefined;
  const boundary = alt.startsWith('\\b');
  let open = [''];
  const closed: string[] = [];
  const result = (complete: boolean): Prefix[] => [
    ...closed.map((text) => ({ text, boundary, complete: false })),
    ...open.map((text) => ({ text, boundary, complete })),
  ];
  let i = boundary ? 2 : 0;
  while (i < alt.length) {
    const literal = literalAt(alt, i);
    if (literal !== undefined) {
      // A quantifier makes the character optional or repeated: the prefix ends before it.
      if (/^[?*{+]/.test(alt.slice(i + literal.length))) return result(false);
      open = open.map((p) => p + literal.char);
      i += literal.length;
      continue;
    }
    if (!alt.startsWith('(?:', i)) return result(false);
    const end = closingParen(alt, i);
    if (end < 0 || /^[?*{+]/.test(alt.slice(end + 1))) return result(false);
    const inner = prefixesOf(alt.slice(i + 3, end));
    if (inner === undefined || open.length * inner.length + closed.length > MAX_PREFIXES) return result(false);
    const next: string[] = [];
    for (const p of open) {
      // A `\b` inside the group only narrows where it matches; the prefix stays valid without it.
      for (const q of inner) (q.complete ? next : closed).push(p + q.text);
    }
    open = next;
    i = end + 1;
  }
  return result(true);
}

/** One literal character at `i`: a plain one, escaped punctuation (`\[`, `\|`, `\.`) or `\n`. */
function literalAt(s: string, i: number): { char: string; length: number } | undefined {
  const c = s[i]!;
  if (/[a-z0-9 '<!#_-]/.test(c)) return { char: c, length: 1 };
  const escaped = s[i + 1];
  if (c !== '\\' || escaped === undefined) return undefined;
  if (/[[\]|/.()]/.test(escaped)) return { char: escaped, length: 2 };
  return escaped === 'n' ? { char: '\n', length: 2 } : undefined;
}

/** Index of the `)` closing the group that opens at `start`, or -1. */
function closingParen(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(s, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    if (i < 0) return -1;
  }
  return -1;
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = Math.max(i, classEnd(s, i));
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** Index of the `]` closing the character class that opens at `start` (escapes skipped), or -1. */
function classEnd(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ']') return i;
  }
  return -1;
}
