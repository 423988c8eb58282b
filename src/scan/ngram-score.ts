/**
 * A character n-gram reading of a text, for what the word lexicon cannot read (issue 12): other
 * languages, new words. Each sentence's 3- and 5-grams (letters and digits, everything else one
 * space) are hashed into a small table of learned weights; a sentence scores the sum of its
 * weights over the square root of its length, and the text scores its highest sentence (one
 * sentence is enough to carry an order). The weights are data (patterns/ngram-model.ts), trained
 * with the rest of the model by scripts/train-injection-model.mjs on the dev split.
 */

/**
 * Short English function words (`the`, `and`, `you`): a sentence with few of them is one the word
 * lexicon cannot read, and the n-grams speak for it alone (`foreign`); a sentence with many is read
 * by the structure features too, and its n-gram score is a second opinion (`english`).
 */
// Only words rare as words of other languages (not `a`, `to`, `in`, `no`, `on`, `do`, `by`, `is`).
const ENGLISH_SHORT = 'at be he if it of or up we all and any are but can for has how its may not our out she the was who why you'.split(' ');
const LETTERS = 26;
const SHORT_WORD = new Uint8Array(LETTERS ** 3 + LETTERS ** 2 + LETTERS);
for (const w of ENGLISH_SHORT) SHORT_WORD[shortKey(w.charCodeAt(w.length - 3), w.charCodeAt(w.length - 2), w.charCodeAt(w.length - 1), w.length)] = 1;
/** Below this share of short English words among its words, a sentence counts as another language. */
const FOREIGN_SHARE = 0.1;

/** Table index of a word of one to three letters a–z (given last-three, last-two, last), or -1. */
function shortKey(c3: number, c2: number, c1: number, length: number): number {
  const l1 = c1 - 97;
  const l2 = c2 - 97;
  const l3 = c3 - 97;
  if (l1 < 0 || l1 >= LETTERS) return -1;
  if (length === 1) return LETTERS ** 3 + LETTERS ** 2 + l1;
  if (l2 < 0 || l2 >= LETTERS) return -1;
  if (length === 2) return LETTERS ** 3 + l2 * LETTERS + l1;
  if (l3 < 0 || l3 >= LETTERS) return -1;
  return (l3 * LETTERS + l2) * LETTERS + l1;
}

/** Table size: 2^BITS weights. */
export const NGRAM_BITS = 13;
const SHIFT = 32 - NGRAM_BITS;
/** A run longer than this is scored as sentences of this length (a long line is many statements). */
const MAX_SENTENCE = 320;
/** Past MAX_SENTENCE a sentence ends at the next space, or this many characters later (no space in a long run). */
const HARD_STOP = 64;
/** Sentences with fewer grams than this are too short to say anything. */
const MIN_GRAMS = 6;
/** Added to the gram count before the square root, so a short sentence's few grams do not swing it. */
const LENGTH_PRIOR = 16;

export interface NgramModel {
  readonly weights: Float32Array;
  readonly bias: number;
}

/** Sentences of `lower` as grams: calls `visit` once per sentence with its bucket list and whether it reads as another language. */
export function forEachSentence(lower: string, visit: (buckets: Int32Array, count: number, foreign: boolean) => void): void {
  const buckets = new Int32Array(2 * (MAX_SENTENCE + HARD_STOP) + 8);
  let count = 0;
  let chars = 0;
  let words = 0;
  let english = 0;
  // The last four mapped characters (0: none yet in this sentence).
  let c1 = 32;
  let c2 = 0;
  let c3 = 0;
  let c4 = 0;
  const end = (): void => {
    if (count >= MIN_GRAMS) visit(buckets, count, english < FOREIGN_SHARE * (words + 1));
    count = chars = words = english = 0;
    c1 = 32;
    c2 = c3 = c4 = 0;
  };
  const n = lower.length;
  for (let i = 0; i < n; i++) {
    let c = lower.charCodeAt(i);
    if (c === 10 || c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0x0964) {
      end();
      continue;
    }
    if ((c === 46 || c === 33 || c === 63) && (i + 1 === n || lower.charCodeAt(i + 1) === 32)) {
      end();
      continue;
    }
    if (c === 92 && lower.charCodeAt(i + 1) === 110) {
      // `\n` inside JSON
      end();
      i++;
      continue;
    }
    if (c >= 48 && c <= 57) c = 48;
    else if (!(c >= 97 && c <= 122) && !(c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xd7 && c !== 0xf7)) c = 32;
    if (c === 32) {
      if (c1 === 32) continue;
      // A word just ended: count it, and whether it is a short English function word.
      words++;
      const length = c2 === 32 || c2 === 0 ? 1 : c3 === 32 || c3 === 0 ? 2 : c4 === 32 || c4 === 0 ? 3 : 4;
      if (length < 4) {
        const key = shortKey(c3, c2, c1, length);
        if (key >= 0) english += SHORT_WORD[key]!;
      }
    }
    if (c2 !== 0) buckets[count++] = (Math.imul(c2, 0x9e3779b1) + Math.imul(c1, 0x85ebca77) + Math.imul(c, 0xc2b2ae3d)) >>> SHIFT;
    if (c4 !== 0) buckets[count++] = (Math.imul(c4, 0x27d4eb2f) + Math.imul(c3, 0x165667b1) + Math.imul(c2, 0xd3a2646c) + Math.imul(c1, 0xfd7046c5) + Math.imul(c, 0xb55a4f09)) >>> SHIFT;
    c4 = c3;
    c3 = c2;
    c2 = c1;
    c1 = c;
    if (++chars >= MAX_SENTENCE && (c === 32 || chars >= MAX_SENTENCE + HARD_STOP)) end();
  }
  end();
}

/** The sentence logit for a bucket list. */
export function sentenceLogit(model: NgramModel, buckets: Int32Array, count: number): number {
  let sum = 0;
  for (let k = 0; k < count; k++) sum += model.weights[buckets[k]!]!;
  return model.bias + sum / Math.sqrt(count + LENGTH_PRIOR);
}

export interface NgramScores {
  /** The model's probability for the likeliest sentence that reads as English. */
  readonly english: number;
  /** The same among sentences in other languages (few English function words). */
  readonly foreign: number;
}

/** The model's probability that the likeliest sentence of `lower` carries an injection, by kind of sentence. */
export function ngramScores(model: NgramModel, lower: string): NgramScores {
  let english = -Infinity;
  let foreign = -Infinity;
  forEachSentence(lower, (buckets, count, isForeign) => {
    const z = sentenceLogit(model, buckets, count);
    if (isForeign) foreign = Math.max(foreign, z);
    else english = Math.max(english, z);
  });
  return { english: probability(english), foreign: probability(foreign) };
}

function probability(z: number): number {
  return z === -Infinity ? 0 : 1 / (1 + Math.exp(-z));
}

/** The scale under the square root, exported for the training script. */
export const NGRAM_LENGTH_PRIOR = LENGTH_PRIOR;
