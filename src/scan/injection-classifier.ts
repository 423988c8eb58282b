/**
 * Prompt-injection classifier: `clean` / `suspicious` / `likely_injection`, with the families whose
 * features weighed most (THREAT_MODEL.md, prompt injection). Built on structure (issue 12): who is
 * addressed, in what mood, about what, with what claimed authority, towards which destination,
 * in which carrier, on which surface (injection-features.ts), combined by a linear model whose
 * weights are data (patterns/injection-model.ts). Hidden carriers are decoded (base64, hex,
 * URL-encoding, rot13, Unicode tags) and read again. A heuristic, not a proof: novel phrasing and
 * instructions that look like data get through, and the other layers still hold (THREAT_MODEL.md).
 */
import type { InjectionFamily } from './patterns/injection.js';
import { rot13 } from './patterns/injection.js';
import { MODEL } from './patterns/injection-model.js';
import { F, FEATURES, structuralFeatures, type ClassifySurface } from './injection-features.js';
import { normalizeForScan } from './normalize.js';
import { decodePayloads } from './encoded-payloads.js';
import { GramReader, NGRAM_BITS, type GramSentence, type NgramModel } from './ngram-score.js';
import { NGRAM_MODEL } from './patterns/ngram-model.js';

export type { ClassifySurface } from './injection-features.js';
export type InjectionVerdict = 'clean' | 'suspicious' | 'likely_injection';

export interface Classification {
  readonly verdict: InjectionVerdict;
  readonly families: InjectionFamily[];
  /** The model's probability that the text is an injection, two decimals. */
  readonly score: number;
}

/** Longer texts are scanned in full up to this many characters; beyond it, head and tail. */
const MAX_SCAN = 256 * 1024;
const ANSI_ANY = /\u001b[[\]PX^_]|\u009b/;
const ANSI_HARMFUL = /\u001b\[[0-9;?]{0,16}[ABCDEFGHJKSTfhlnsu8]|\u001b\[[0-9;]{0,12}(?:;|\[)8m|\u001b\[8m|\u001b[\]PX^_]|\u009b/;
/** The n-gram weights, unpacked once from their committed bytes. */
const NGRAM: NgramModel = unpackNgram();

/** The sentences a reading that collects none, or has no n-grams, hands back. */
const NO_GRAMS: readonly GramSentence[] = Object.freeze([]);

/** Two rot13 lexicon words make a text worth decoding. */
const ROT13_HINTS = 2;

/** Classify `input` as found on `surface` (tool results by default; descriptions are judged stricter). */
export function classify(input: string, surface: ClassifySurface = 'result'): Classification {
  const text = input.length > MAX_SCAN ? input.slice(0, MAX_SCAN / 2) + '\n' + input.slice(-MAX_SCAN / 2) : input;
  const features = featuresOf(text, surface);
  // A decoded payload that reads as an injection by itself is one, whatever surrounds it.
  const score = Math.round(Math.max(sigmoid(logit(features, surface)), features[F.encoded]!) * 100) / 100;
  const t = MODEL.thresholds[calibrated(surface)];
  const verdict: InjectionVerdict = score >= t.likely ? 'likely_injection' : score >= t.suspicious ? 'suspicious' : 'clean';
  return { verdict, families: verdict === 'clean' ? [] : familiesOf(features), score };
}

/**
 * The model's inputs for `input`: its own features, and those of each payload decoded from it
 * (which the classifier folds into the `encoded` feature). Exported for the training script.
 */
export function featureVectors(input: string, surface: ClassifySurface): { outer: Float64Array; inner: Float64Array[]; grams: readonly GramSentence[]; innerGrams: (readonly GramSentence[])[] } {
  const { features, hidden, grams } = read(input, surface, true);
  const inner = hidden.map((t) => read(t, surface, true));
  return { outer: features, inner: inner.map((r) => r.features), grams, innerGrams: inner.map((r) => r.grams) };
}

/**
 * Where `classify` reads a text's features and those of a payload decoded from it: two arrays for
 * the process instead of two off-heap allocations per scan (41 doubles is past the size V8 keeps a
 * typed array on its heap). Safe because a classification runs to completion synchronously and
 * nothing keeps either array after it; `featureVectors` (training) gets arrays of its own.
 */
const OUTER = new Float64Array(FEATURES.length);
const INNER = new Float64Array(FEATURES.length);

function featuresOf(text: string, surface: ClassifySurface): Float64Array {
  const { features, hidden } = read(text, surface, false, OUTER);
  for (const decoded of hidden) {
    // Instructions that hide in an encoding are an attack in themselves: read one level deep.
    const inner = sigmoid(logit(read(decoded, surface, false, INNER).features, surface));
    if (inner > features[F.encoded]!) features[F.encoded] = inner;
  }
  return features;
}

/** Features of `text` itself, and the texts decoded from it (not yet read). */
function read(text: string, surface: ClassifySurface, collect = false, into?: Float64Array): { features: Float64Array; hidden: readonly string[]; grams: readonly GramSentence[] } {
  const out = into === undefined ? new Float64Array(FEATURES.length) : into.fill(0);
  // Most results hold no control character at all; indexOf answers that faster than the regex.
  if ((text.includes('\u001b') || text.includes('\u009b')) && ANSI_ANY.test(text)) out[F.ansi] = ANSI_HARMFUL.test(text) ? 1 : 0.2;
  const norm = normalizeForScan(text);
  out[F.tag_chars] = norm.tags > 0 ? 1 : 0;
  out[F.invisible] = norm.zeroWidth >= 3 ? 1 : norm.zeroWidth > 0 ? 0.3 : 0;
  out[F.bidi] = norm.bidi > 0 ? 1 : 0;
  out[F.confusables] = norm.mixedScriptWords >= 3 ? 1 : norm.mixedScriptWords > 0 ? 0.5 : 0;
  let lower = norm.text.toLowerCase();
  let grams = gramReader(surface, collect);
  let hints = structuralFeatures(lower, surface, out, grams);
  if (hints.spaced) {
    // Letter spacing seen: collapse it and read the text again (rare, so paid only then).
    lower = unspace(lower);
    out.fill(0, 0, F.invisible);
    grams = gramReader(surface, collect);
    hints = structuralFeatures(lower, surface, out, grams);
  }
  if (grams !== undefined) {
    const scores = grams.scores();
    out[F.ngram] = scores.english;
    out[F.ngram_foreign] = scores.foreign;
  }
  const decoded = decodePayloads(text);
  const hidden = hints.rot13Words >= ROT13_HINTS ? [...decoded, rot13(lower)] : decoded;
  return { features: out, hidden, grams: collect ? (grams?.sentences() ?? NO_GRAMS) : NO_GRAMS };
}

/**
 * The n-gram reader for one reading: none for server instructions (they address the model by
 * design; the n-grams would read that as an attack), a new one when training collects sentences,
 * and otherwise the one `classify` restarts each time (it runs synchronously, as OUTER does).
 */
function gramReader(surface: ClassifySurface, collect: boolean): GramReader | undefined {
  if (surface === 'instructions') return undefined;
  return collect ? new GramReader(NGRAM, true) : SCORER.restart();
}
const SCORER = new GramReader(NGRAM);

/** `i g n o r e` → `ignore`: letter-spacing is an old evasion. */
const SPACED = /\b(?:[a-z][ .]){3,30}[a-z]\b/g;

function unspace(lower: string): string {
  return lower.replace(SPACED, (run) => run.replace(/[ .]/g, ''));
}

function unpackNgram(): NgramModel {
  const bytes = Buffer.from(NGRAM_MODEL.weights, 'base64');
  const weights = new Float32Array(1 << NGRAM_BITS);
  if (bytes.length === weights.length) for (let i = 0; i < weights.length; i++) weights[i] = ((bytes[i]! << 24) >> 24) * NGRAM_MODEL.scale;
  return { weights, bias: NGRAM_MODEL.bias };
}

/** Server instructions share the result surface's calibration (their addressing features are zeroed). */
function calibrated(surface: ClassifySurface): 'result' | 'description' {
  return surface === 'instructions' ? 'result' : surface;
}

function logit(features: Float64Array, surface: ClassifySurface): number {
  let z = MODEL.bias[calibrated(surface)];
  for (let i = 0; i < features.length; i++) z += features[i]! * MODEL.weights[i]!;
  return z;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Families whose features pushed the score up, strongest first. */
function familiesOf(features: Float64Array): InjectionFamily[] {
  const weighed = FEATURES.map(([, family], i) => ({ family, push: features[i]! * MODEL.weights[i]! }))
    .filter((f) => f.push > 0.25)
    .sort((a, b) => b.push - a.push);
  return [...new Set(weighed.map((f) => f.family))];
}
