/**
 * Runs of base64-alphabet characters (standard and URL-safe), the raw material of encoded payloads
 * and base64 secrets, and runs of the token alphabet, where API tokens sit. Most results hold no
 * run of 20+ characters, and the few that do hold few: finding them by hand lets the scanners
 * decode or match at those places only, instead of a regex with a lookbehind tried at every
 * position (which cost ~4 ns a character: 17–29 µs on a 4 KB JSON text whose paths are runs).
 */
const IN_ALPHABET = new Uint8Array(0x10000);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') IN_ALPHABET[ch.charCodeAt(0)] = 1;
/** The alphabet of API tokens (`ghp_…`, `sk-ant-…`): base64's without `+` and `/`, so paths are not runs. */
const IN_TOKEN_ALPHABET = IN_ALPHABET.slice();
IN_TOKEN_ALPHABET['+'.charCodeAt(0)] = 0;
IN_TOKEN_ALPHABET['/'.charCodeAt(0)] = 0;

/** The shortest run either scanner decodes (encoded-payloads: 20, base64-secrets: 24). */
export const MIN_RUN = 20;

/**
 * The maximal runs of MIN_RUN or more base64-alphabet characters in `text`, as flat (start, end)
 * pairs in order. Shares its last answer: the redactor asks, then the classifier asks about the
 * same text (the redacted text is the same string when nothing was redacted).
 */
export function base64Runs(text: string): readonly number[] {
  if (text !== lastText) {
    lastText = text;
    lastRuns = findRuns(text);
  }
  return lastRuns;
}
let lastText = '';
let lastRuns: readonly number[] = [];

/** Whether `value` can only occur inside a base64 run: MIN_RUN or more alphabet characters. */
export function isRunShaped(value: string): boolean {
  if (value.length < MIN_RUN) return false;
  for (let i = 0; i < value.length; i++) if (IN_ALPHABET[value.charCodeAt(i)] === 0) return false;
  return true;
}

/**
 * The end of what `[alphabet]{min,max}={0,2}` behind a lookbehind for the alphabet matches at the
 * start of a run ending at `end`: the run, capped at `max`, and the padding after it when not capped.
 * (A capped run's rest is no match: every position in it has an alphabet character before it.)
 */
export function runMatchEnd(text: string, start: number, end: number, max: number): number {
  if (end - start > max) return start + max;
  let padded = end;
  while (padded < end + 2 && text.charCodeAt(padded) === EQUALS) padded++;
  return padded;
}
const EQUALS = '='.charCodeAt(0);

/**
 * The maximal runs of MIN_RUN or more `A-Za-z0-9_-` characters (where an API token could be), as
 * flat (start, end) pairs: the base64 runs cut at `+` and `/` (a text without base64 runs has none).
 */
export function tokenRuns(text: string): number[] {
  const runs = base64Runs(text);
  const out: number[] = [];
  for (let i = 0; i < runs.length; i += 2) {
    const end = runs[i + 1]!;
    let start = runs[i]!;
    for (let at = start; at <= end; at++) {
      if (at < end && IN_TOKEN_ALPHABET[text.charCodeAt(at)] === 1) continue;
      if (at - start >= MIN_RUN) out.push(start, at);
      start = at + 1;
    }
  }
  return out;
}

/**
 * Reads the last character of each window first: when it is outside the alphabet no run fits in
 * the window and the scan jumps a whole window ahead, so prose costs a fraction of a read per
 * character. The character before each window is always outside the alphabet (or the text's
 * start), so a window found whole starts its run.
 */
function findRuns(text: string): number[] {
  const runs: number[] = [];
  const n = text.length;
  let end = MIN_RUN - 1;
  while (end < n) {
    if (IN_ALPHABET[text.charCodeAt(end)] === 0) {
      end += MIN_RUN;
      continue;
    }
    // Walk back from the window's last character: all MIN_RUN in the alphabet is a run.
    const stop = end - MIN_RUN;
    let at = end - 1;
    while (at > stop && IN_ALPHABET[text.charCodeAt(at)] === 1) at--;
    if (at === stop) {
      let last = end + 1;
      while (last < n && IN_ALPHABET[text.charCodeAt(last)] === 1) last++;
      runs.push(stop + 1, last);
      at = last;
    }
    // `at` is outside the alphabet, so a run starts after it and ends MIN_RUN - 1 later at the earliest.
    end = at + MIN_RUN;
  }
  return runs;
}
