/**
 * Normalisation before injection signals run (THREAT_MODEL.md, prompt injection: obfuscation):
 * NFKC, invisible characters removed, Unicode tag characters decoded (they smuggle ASCII text that
 * renders as nothing), and confusable letters folded to ASCII. Counts of what was found feed the
 * `invisible_chars` and `confusables` families.
 */
import { CONFUSABLES, CONFUSABLE_CHARS } from './patterns/confusables.js';

export interface Normalized {
  readonly text: string;
  readonly zeroWidth: number;
  readonly bidi: number;
  /** Unicode tag characters (U+E0000–E007F) outside flag emoji: decoded into `text`. */
  readonly tags: number;
  /** Words mixing Latin with look-alike letters from another script. */
  readonly mixedScriptWords: number;
}

// ZWSP, ZWNJ, word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel separator, Hangul fillers.
const ZERO_WIDTH = /[\u200b\u200c\u2060-\u2064\ufeff\u00ad\u180e\u115f\u1160\u3164\uffa0]/g;
// ZWJ alone is legitimate inside emoji sequences; it is removed but not counted.
const ZWJ = /\u200d/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
/** A right-to-left override shows its run reversed: `\u202E` + `erongi` renders as `ignore`. */
const RLO_RUN = /\u202e([^\u202a-\u202e\u2066-\u2069\n]{1,512})/g;
// Tag characters; a run after U+1F3F4 (black flag) is a subdivision flag (🏴 England), not smuggling.
const TAGS = /(\u{1F3F4})?((?:[\u{E0000}-\u{E007F}])+)/gu;
const WORD = /\p{L}+/gu;

export function normalizeForScan(input: string): Normalized {
  // Every character past U+007F takes two or more UTF-8 bytes: equal lengths mean ASCII only, which
  // Node counts ~5× faster than a regex finds the first non-ASCII character (2.6 µs on 4 KB of prose).
  if (Buffer.byteLength(input, 'utf8') === input.length) return { text: input, zeroWidth: 0, bidi: 0, tags: 0, mixedScriptWords: 0 };
  let tags = 0;
  let text = input.replace(TAGS, (_all, flag: string | undefined, run: string) => {
    if (flag !== undefined) return flag;
    let decoded = '';
    for (const ch of run) {
      const cp = ch.codePointAt(0)! - 0xe0000;
      if (cp >= 0x20 && cp < 0x7f) decoded += String.fromCharCode(cp);
      tags++;
    }
    // On a line of its own: the smuggled text is a message of its own, not the end of the visible one.
    return decoded === '' ? '' : `\n${decoded}\n`;
  });
  const zeroWidth = count(text, ZERO_WIDTH);
  const bidi = count(text, BIDI);
  // Read the run as it is displayed, so the words the model sees are the words scanned.
  if (bidi > 0 && text.includes('\u202e')) text = text.replace(RLO_RUN, (_all, run: string) => [...run].reverse().join(''));
  text = text.replace(ZERO_WIDTH, '').replace(ZWJ, '').replace(BIDI, '').normalize('NFKC');
  let mixedScriptWords = 0;
  if (CONFUSABLE_CHARS.test(text)) {
    CONFUSABLE_CHARS.lastIndex = 0;
    // A word is suspicious when it mixes ASCII letters with look-alikes (`pаypal`), not when it is
    // wholly Cyrillic or Greek: only mixed words are folded, so Russian stays Russian for the lexicon.
    text = text.replace(WORD, (word) => {
      CONFUSABLE_CHARS.lastIndex = 0;
      if (!/[a-z]/i.test(word) || !CONFUSABLE_CHARS.test(word)) return word;
      mixedScriptWords++;
      CONFUSABLE_CHARS.lastIndex = 0;
      return word.replace(CONFUSABLE_CHARS, (ch) => CONFUSABLES.get(ch) ?? ch);
    });
  }
  return { text, zeroWidth, bidi, tags, mixedScriptWords };
}

function count(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}
