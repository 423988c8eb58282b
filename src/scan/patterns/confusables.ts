/**
 * Letters from other scripts that render like Latin letters (Cyrillic, Greek, Armenian, IPA),
 * folded to ASCII before injection signals run, so `іgnоrе` (Cyrillic і, о, е) still reads as
 * `ignore` (THREAT_MODEL.md, prompt injection: confusables). NFKC already folds fullwidth and
 * mathematical alphanumerics; this covers what NFKC leaves alone. A subset of Unicode TR39.
 */
const PAIRS: readonly [string, string][] = [
  // Cyrillic lowercase and uppercase
  ['а', 'a'], ['в', 'b'], ['с', 'c'], ['ԁ', 'd'], ['е', 'e'], ['ё', 'e'], ['һ', 'h'], ['і', 'i'], ['ї', 'i'], ['ј', 'j'],
  ['к', 'k'], ['ӏ', 'l'], ['м', 'm'], ['н', 'h'], ['о', 'o'], ['р', 'p'], ['ԛ', 'q'], ['г', 'r'], ['ѕ', 's'], ['т', 't'],
  ['џ', 'u'], ['ѵ', 'v'], ['ԝ', 'w'], ['х', 'x'], ['у', 'y'], ['ү', 'y'],
  ['А', 'A'], ['В', 'B'], ['С', 'C'], ['Е', 'E'], ['Н', 'H'], ['І', 'I'], ['Ј', 'J'], ['К', 'K'], ['М', 'M'], ['О', 'O'],
  ['Р', 'P'], ['Ѕ', 'S'], ['Т', 'T'], ['Х', 'X'], ['У', 'Y'], ['Ԝ', 'W'],
  // Greek
  ['α', 'a'], ['β', 'b'], ['ε', 'e'], ['η', 'n'], ['ι', 'i'], ['κ', 'k'], ['ν', 'v'], ['ο', 'o'], ['ρ', 'p'], ['τ', 't'],
  ['υ', 'u'], ['χ', 'x'], ['γ', 'y'], ['ϲ', 'c'],
  ['Α', 'A'], ['Β', 'B'], ['Ε', 'E'], ['Ζ', 'Z'], ['Η', 'H'], ['Ι', 'I'], ['Κ', 'K'], ['Μ', 'M'], ['Ν', 'N'], ['Ο', 'O'],
  ['Ρ', 'P'], ['Τ', 'T'], ['Υ', 'Y'], ['Χ', 'X'],
  // Armenian, IPA and Latin extensions
  ['օ', 'o'], ['ս', 'u'], ['ց', 'g'], ['հ', 'h'], ['ո', 'n'], ['ɡ', 'g'], ['ɑ', 'a'], ['ı', 'i'], ['ȷ', 'j'], ['ʟ', 'L'],
  ['ɪ', 'I'], ['ʀ', 'R'], ['ᴀ', 'A'], ['ᴄ', 'C'], ['ᴅ', 'D'], ['ᴇ', 'E'], ['ᴏ', 'O'], ['ᴘ', 'P'], ['ᴛ', 'T'], ['ᴜ', 'U'],
];

export const CONFUSABLES: ReadonlyMap<string, string> = new Map(PAIRS);
export const CONFUSABLE_CHARS = new RegExp(`[${PAIRS.map(([c]) => c).join('')}]`, 'g');
