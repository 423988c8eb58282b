/**
 * The strongest weight each injection signal reaches in a text, found without running every signal
 * over the whole text. One keyword pass finds where each signal's needles occur (signal-needles.ts);
 * a signal is then tried, sticky, only at those positions, in order, resuming after each match as a
 * global scan would, so it sees exactly the matches the global scan saw. Signals without needles
 * run over the whole text.
 */
import { CITED_BEFORE, DISCOUNT, INJECTION_SIGNALS, type InjectionSignal } from './patterns/injection.js';
import { deriveNeedles } from './signal-needles.js';
import { KeywordIndex } from './keyword-index.js';

interface CompiledSignal {
  readonly signal: InjectionSignal;
  /** Matches only at lastIndex; undefined when the signal has no needles. */
  readonly sticky: RegExp | undefined;
}

/**
 * Sticky tries per signal before it switches to its global regex from the current position. Each try
 * is a regex call; past a few dozen candidates (`<` all over an HTML page), one scan of the rest of
 * the text is cheaper. Either way the matches are the ones a global scan from the start finds.
 */
const STICKY_TRIES = 48;

const DERIVED = INJECTION_SIGNALS.map((signal) => ({ signal, needles: deriveNeedles(signal.regex.source) }));
const SIGNALS: readonly CompiledSignal[] = DERIVED.map(({ signal, needles }) => ({
  signal,
  sticky: needles === undefined ? undefined : new RegExp(signal.regex.source, signal.regex.flags.replace('g', '') + 'y'),
}));
const NEEDLES = new KeywordIndex(DERIVED.flatMap(({ needles }) => needles ?? []));
/** Keyword id → indexes of the signals it starts (each once). */
const OWNERS: readonly number[][] = NEEDLES.keywords.map((text) =>
  DERIVED.flatMap(({ needles }, s) => (needles?.some((n) => n.text === text) === true ? [s] : [])),
);

/** Best weight per signal (INJECTION_SIGNALS order) in `lower` (normalised, lowercased); 0 where it did not match. */
export function signalWeights(lower: string): Float64Array {
  const count = SIGNALS.length;
  const best = new Float64Array(count);
  // Where each signal's scan resumes: after its last match, or one past its last failed try.
  const resume = new Float64Array(count);
  const tries = new Int32Array(count);
  const tryAt = (s: number, pos: number): void => {
    const { signal, sticky } = SIGNALS[s]!;
    const regex = tries[s]! < STICKY_TRIES ? sticky! : signal.regex;
    tries[s]!++;
    regex.lastIndex = pos;
    const m = regex.exec(lower);
    if (m === null) {
      // A global regex that finds nothing from here finds nothing later either.
      resume[s] = regex === sticky ? pos + 1 : Number.POSITIVE_INFINITY;
      return;
    }
    best[s] = Math.max(best[s]!, weightAt(signal, lower, m.index));
    resume[s] = m.index + Math.max(1, m[0].length);
  };
  for (let s = 0; s < count; s++) {
    const { signal, sticky } = SIGNALS[s]!;
    if (sticky === undefined) best[s] = fullScan(signal, lower);
  }
  const hits = NEEDLES.hits(lower);
  for (let k = 0; k < hits.length; k += 2) {
    const pos = hits[k]!;
    for (const s of OWNERS[hits[k + 1]!]!) {
      // As the global scan: skip positions inside the last match, and stop at full weight.
      if (pos >= resume[s]! && best[s]! < SIGNALS[s]!.signal.weight) tryAt(s, pos);
    }
  }
  return best;
}

function fullScan(signal: InjectionSignal, lower: string): number {
  signal.regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  let best = 0;
  while ((m = signal.regex.exec(lower)) !== null) {
    best = Math.max(best, weightAt(signal, lower, m.index));
    if (best >= signal.weight) break;
    if (m[0].length === 0) signal.regex.lastIndex++;
  }
  return best;
}

/** Quoted, negated or cited matches (talking about an attack) count for less. */
function weightAt(signal: InjectionSignal, lower: string, index: number): number {
  const cited = signal.discountable === true && CITED_BEFORE.test(lower.slice(Math.max(0, index - 48), index));
  return cited ? signal.weight * DISCOUNT : signal.weight;
}
