/**
 * The exact secret values the gateway injects into children through `env`, in every form a child is
 * likely to echo them: as is, base64 (all three byte alignments, so the value is found inside a
 * larger base64 blob), base64url and URL-encoded (THREAT_MODEL.md, secret leakage via children).
 */
import type { MatchRange } from './bounded-match.js';
import { base64Runs, isRunShaped } from './base64-runs.js';

export interface Literal {
  readonly value: string;
  readonly name: string;
  /** Base64-alphabet characters only, MIN_RUN or more (most secrets and their base64 forms): found only inside a base64 run. */
  readonly inRuns: boolean;
}

/** Shorter values would redact ordinary words; the gateway only reports values of 8+ characters. */
const MIN_LITERAL = 8;

export function expandExactValues(values: readonly string[]): Literal[] {
  const out = new Map<string, string>();
  const add = (value: string, name: string): void => {
    if (value.length >= MIN_LITERAL && !out.has(value)) out.set(value, name);
  };
  for (const value of values) {
    if (value.length < MIN_LITERAL) continue;
    add(value, 'injected_secret');
    const encoded = encodeURIComponent(value);
    if (encoded !== value) add(encoded, 'injected_secret_url');
    const bytes = Buffer.from(value, 'utf8');
    for (let shift = 0; shift < 3; shift++) {
      const core = alignedBase64Core(bytes, shift);
      add(core, 'injected_secret_b64');
      add(core.replace(/\+/g, '-').replace(/\//g, '_'), 'injected_secret_b64');
    }
  }
  // Longest first, so a value is replaced whole before any shorter value inside it.
  return [...out].map(([value, name]) => ({ value, name, inRuns: isRunShaped(value) })).sort((a, b) => b.value.length - a.value.length);
}

/**
 * The base64 characters that depend only on `bytes` when they sit `shift` bytes into a larger
 * buffer: leading characters mixed with the preceding bytes and the trailing partial group are dropped.
 */
function alignedBase64Core(bytes: Buffer, shift: number): string {
  const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
  const full = Math.floor(padded.length / 3) * 4;
  const skip = shift === 0 ? 0 : shift === 1 ? 2 : 3;
  return padded.toString('base64').slice(skip, full);
}

/**
 * Push every occurrence of each literal onto `out`. A value that can only sit inside a base64 run
 * is looked for in the runs alone, which most texts do not have (the bench's one injected value in
 * its six forms cost ~3 µs on every 4 KB result, searched for everywhere).
 */
export function collectExactValues(text: string, literals: readonly Literal[], out: MatchRange[]): void {
  if (literals.length === 0) return;
  const runs = base64Runs(text);
  for (const { value, name, inRuns } of literals) {
    if (!inRuns) pushOccurrences(text, value, name, 0, out);
    else for (let i = 0; i < runs.length; i += 2) if (runs[i + 1]! - runs[i]! >= value.length) pushOccurrences(text.slice(runs[i]!, runs[i + 1]!), value, name, runs[i]!, out);
  }
}

function pushOccurrences(text: string, value: string, name: string, offset: number, out: MatchRange[]): void {
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) out.push({ start: offset + at, end: offset + at + value.length, pattern: name });
}
