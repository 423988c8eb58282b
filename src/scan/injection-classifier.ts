/**
 * Prompt-injection classifier: `clean` / `suspicious` / `likely_injection` with the signal families
 * that fired (THREAT_MODEL.md, prompt injection). A heuristic, not a proof: it scores instruction-like
 * text aimed at the model, hidden markup, secret and tool requests, exfiltration, concealment and
 * obfuscation (invisible characters, confusables, escape sequences, encoded payloads).
 */
import { INJECTION_SIGNALS, LIKELY_AT, SUSPICIOUS_AT, type InjectionFamily } from './patterns/injection.js';
import { normalizeForScan } from './normalize.js';
import { decodePayloads } from './encoded-payloads.js';
import { signalWeights } from './signal-scan.js';

export type InjectionVerdict = 'clean' | 'suspicious' | 'likely_injection';

export interface Classification {
  readonly verdict: InjectionVerdict;
  readonly families: InjectionFamily[];
  readonly score: number;
}

/** Longer texts are scanned in full up to this many characters; beyond it, head and tail. */
const MAX_SCAN = 256 * 1024;
const ANSI_ANY = /\u001b[[\]PX^_]|\u009b/;
const ANSI_HARMFUL = /\u001b\[[0-9;?]{0,16}[ABCDEFGHJKSTfhlnsu]|\u001b[\]PX^_]|\u009b/;

export function classify(input: string): Classification {
  const text = input.length > MAX_SCAN ? input.slice(0, MAX_SCAN / 2) + '\n' + input.slice(-MAX_SCAN / 2) : input;
  const scores = new Map<InjectionFamily, number>();
  const add = (family: InjectionFamily, weight: number): void => {
    if (weight > (scores.get(family) ?? 0)) scores.set(family, weight);
  };

  // Most results hold no control character at all; indexOf answers that faster than the regex.
  if ((text.includes('\u001b') || text.includes('\u009b')) && ANSI_ANY.test(text)) add('ansi_escape', ANSI_HARMFUL.test(text) ? 0.5 : 0.1);
  const norm = normalizeForScan(text);
  if (norm.tags > 0) add('invisible_chars', 0.8);
  else if (norm.bidi > 0 || norm.zeroWidth >= 3) add('invisible_chars', 0.4);
  else if (norm.zeroWidth > 0) add('invisible_chars', 0.2);
  if (norm.mixedScriptWords > 0) add('confusables', norm.mixedScriptWords >= 3 ? 0.4 : 0.3);

  scoreSignals(norm.text.toLowerCase(), add);

  for (const decoded of decodePayloads(text)) {
    const inner = new Map<InjectionFamily, number>();
    scoreSignals(normalizeForScan(decoded).text.toLowerCase(), (f, w) => {
      if (w > (inner.get(f) ?? 0)) inner.set(f, w);
    });
    const innerScore = sum(inner);
    // Instructions that hide in an encoding are an attack in themselves.
    if (innerScore >= SUSPICIOUS_AT) add('encoded_payload', 0.5 + innerScore);
  }

  const score = Math.round(sum(scores) * 100) / 100;
  const verdict: InjectionVerdict = score >= LIKELY_AT ? 'likely_injection' : score >= SUSPICIOUS_AT ? 'suspicious' : 'clean';
  const families = [...scores.entries()].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]).map(([f]) => f);
  return { verdict, families: verdict === 'clean' ? [] : families, score };
}

/** `i g n o r e` → `ignore`: letter-spacing is an old evasion. */
const SPACED = /\b(?:[a-z][ .]){3,30}[a-z]\b/g;

/**
 * Family score: the strongest signal plus half of the others (capped at 1), so several independent
 * hints in one family add up without one family alone outweighing two.
 */
function scoreSignals(text: string, add: (family: InjectionFamily, weight: number) => void): void {
  const lower = SPACED.test(text) ? text.replace(SPACED, (run) => run.replace(/[ .]/g, '')) : text;
  SPACED.lastIndex = 0;
  const perFamily = new Map<InjectionFamily, { weight: number; cited: boolean }[]>();
  const best = signalWeights(lower);
  INJECTION_SIGNALS.forEach((signal, s) => {
    const weight = best[s]!;
    if (weight === 0) return;
    const list = perFamily.get(signal.family) ?? [];
    list.push({ weight, cited: weight < signal.weight });
    perFamily.set(signal.family, list);
  });
  for (const [family, hits] of perFamily) {
    hits.sort((a, b) => b.weight - a.weight);
    const [top, ...rest] = hits;
    // Cited matches (quoted, negated, given as examples) never add up: talking about attacks is not one.
    const extra = rest.reduce((acc, h) => acc + (h.cited ? 0 : h.weight / 2), 0);
    add(family, Math.min(1, (top?.weight ?? 0) + extra));
  }
}

function sum(scores: ReadonlyMap<InjectionFamily, number>): number {
  let total = 0;
  for (const w of scores.values()) total += w;
  return total;
}
