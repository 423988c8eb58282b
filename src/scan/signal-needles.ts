/**
 * Literal prefilters for injection signals, derived once from each signal's source: the leading
 * literal of each top-level alternative. A signal whose needles are all absent from the text cannot
 * match, and `includes` is far cheaper than running the regex (most results contain none).
 * Returns undefined when a needle cannot be derived (the signal then always runs).
 */
export function deriveNeedles(source: string): string[] | undefined {
  const needles: string[] = [];
  for (const alternative of splitTopLevel(source)) {
    const alt = alternative.startsWith('\\b') ? alternative.slice(2) : alternative;
    if (alt.startsWith('(?:')) {
      const end = closingParen(alt);
      // An optional leading group (`(?:x)?`) means the text may start after it: no safe needle.
      if (end < 0 || /^[?*{]/.test(alt.slice(end + 1))) return undefined;
      const inner = deriveNeedles(alt.slice(3, end));
      if (inner === undefined) return undefined;
      needles.push(...inner);
      continue;
    }
    const literal = /^[a-z0-9 '<!#_-]*/.exec(alt)?.[0] ?? '';
    // A quantifier right after the literal makes its last character optional.
    const cut = /^[?*{]/.test(alt.slice(literal.length)) ? literal.slice(0, -1) : literal;
    if (cut.length === 0) return undefined;
    needles.push(cut);
  }
  return needles;
}

function closingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = s.indexOf(']', i + 1);
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
    else if (c === '[') i = Math.max(i, s.indexOf(']', i + 1));
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
