/**
 * An n-gram reading of a text, for what the word lexicon cannot read (issue 12): other languages,
 * new words. The sentence reader (clause-features.ts) hands over each word it reads, already
 * hashed; a word counts by itself, by its first four characters (`instru…`, `ignor…`, `passw…`:
 * a stem shared across languages), and with the word before it; a word of a script written
 * without spaces (CJK, Thai) counts by its character pairs. These are hashed into a small table
 * of learned weights; a sentence scores the sum of its weights over the square root of their
 * number, and the text scores its likeliest sentence (one sentence is enough to carry an order).
 * Sentences with few short English function words (`the`, `and`, `you`) are scored apart: the
 * lexicon cannot read them, so the n-grams speak for them alone. The weights are data
 * (patterns/ngram-model.ts), trained by scripts/train-injection-model.mjs on the dev split.
 */

/** Table size: 2^BITS weights. */
export const NGRAM_BITS = 13;
const SHIFT = 32 - NGRAM_BITS;
/** Sentences with fewer grams than this are too short to say anything. */
const MIN_GRAMS = 4;
/** Added to the gram count before the square root, so a short sentence's few grams do not swing it. */
export const NGRAM_LENGTH_PRIOR = 8;
/** Below this share of short English function words among its words, a sentence counts as another language. */
const FOREIGN_SHARE = 0.1;
/** Character pairs read per unspaced word, at most. */
const MAX_PAIRS = 96;

export interface NgramModel {
  readonly weights: Float32Array;
  readonly bias: number;
}

export interface NgramScores {
  /** The model's probability for the likeliest sentence that reads as English. */
  readonly english: number;
  /** The same among sentences in other languages. */
  readonly foreign: number;
}

/** One sentence's grams, for the training script. */
export interface GramSentence {
  readonly buckets: number[];
  readonly foreign: boolean;
}

/** Sums a text's grams sentence by sentence as the reader hands them over. */
export class GramReader {
  #sum = 0;
  #count = 0;
  #words = 0;
  #english = 0;
  #bestEnglish = -Infinity;
  #bestForeign = -Infinity;
  readonly #weights: Float32Array;
  readonly #bias: number;
  readonly #collected: GramSentence[] | undefined;
  #buckets: number[] = [];

  constructor(model: NgramModel, collect = false) {
    this.#weights = model.weights;
    this.#bias = model.bias;
    this.#collected = collect ? [] : undefined;
  }

  /**
   * A word: its hash, the hash of its first four characters (0 when it is no longer), the hash of
   * the word before it in the sentence (0: none), and whether it is a short English function word.
   */
  word(hash: number, prefix: number, before: number, english: boolean): void {
    this.#words++;
    if (english) this.#english++;
    this.#add(Math.imul(hash ^ 0x5bd1e995, 0x85ebca77) >>> SHIFT);
    if (prefix !== 0) this.#add(Math.imul(prefix ^ 0x1b873593, 0xc2b2ae3d) >>> SHIFT);
    if (before !== 0) this.#add(Math.imul(hash ^ Math.imul(before, 0x27d4eb2f), 0x165667b1) >>> SHIFT);
  }

  /** A word of a script written without spaces: its character pairs. */
  unspaced(text: string, start: number, end: number): void {
    const stop = Math.min(end, start + MAX_PAIRS + 1);
    for (let j = start + 1; j < stop; j++) this.#add(Math.imul((text.charCodeAt(j - 1) << 16) ^ text.charCodeAt(j) ^ 0x68e31da4, 0x9e3779b1) >>> SHIFT);
  }

  /** Ready for a new text: a reader that collects nothing is restarted rather than made again. */
  restart(): this {
    this.#sum = this.#count = this.#words = this.#english = 0;
    this.#bestEnglish = this.#bestForeign = -Infinity;
    return this;
  }

  endSentence(): void {
    if (this.#count >= MIN_GRAMS) {
      const z = this.#bias + this.#sum / Math.sqrt(this.#count + NGRAM_LENGTH_PRIOR);
      const foreign = this.#english < FOREIGN_SHARE * (this.#words + 1);
      if (foreign) {
        if (z > this.#bestForeign) this.#bestForeign = z;
      } else if (z > this.#bestEnglish) this.#bestEnglish = z;
      this.#collected?.push({ buckets: this.#buckets, foreign });
    }
    this.#sum = this.#count = this.#words = this.#english = 0;
    if (this.#collected !== undefined) this.#buckets = [];
  }

  scores(): NgramScores {
    return { english: probability(this.#bestEnglish), foreign: probability(this.#bestForeign) };
  }

  sentences(): GramSentence[] {
    return this.#collected ?? [];
  }

  #add(bucket: number): void {
    this.#sum += this.#weights[bucket]!;
    this.#count++;
    if (this.#collected !== undefined) this.#buckets.push(bucket);
  }
}

/** A sentence's logit from its summed weights and gram count (the training script scores as the reader does). */
export function sentenceLogit(bias: number, sum: number, count: number): number {
  return bias + sum / Math.sqrt(count + NGRAM_LENGTH_PRIOR);
}

function probability(z: number): number {
  return z === -Infinity ? 0 : 1 / (1 + Math.exp(-z));
}
