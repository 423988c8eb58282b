/**
 * Runs of base64-alphabet characters (standard and URL-safe), the raw material of encoded payloads
 * and base64 secrets. Most results hold none of 20+ characters, and answering that cheaply decides
 * whether the run-finding regexes (which test a lookbehind at every position) run at all.
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
 * Whether `text` holds MIN_RUN alphabet characters in a row. Reads the last character of each
 * window first: when it is outside the alphabet no run fits in the window and the scan jumps a
 * whole window ahead, so prose costs a fraction of a read per character. Shares its last answer
 * (the redactor asks, then the classifier asks about the same text).
 */
export function hasLongRun(text: string): boolean {
  if (text === lastText) return lastAnswer;
  lastText = text;
  lastAnswer = findRun(text, IN_ALPHABET);
  return lastAnswer;
}
let lastText = '';
let lastAnswer = false;

/** Whether `text` holds MIN_RUN characters of `A-Za-z0-9_-` in a row: where an API token could be. */
export function hasTokenRun(text: string): boolean {
  return findRun(text, IN_TOKEN_ALPHABET);
}

function findRun(text: string, alphabet: Uint8Array): boolean {
  const n = text.length;
  let end = MIN_RUN - 1;
  while (end < n) {
    if (alphabet[text.charCodeAt(end)] === 0) {
      end += MIN_RUN;
      continue;
    }
    // Walk back from the window's last character: all MIN_RUN in the alphabet is a run.
    const stop = end - MIN_RUN;
    let at = end - 1;
    while (at > stop && alphabet[text.charCodeAt(at)] === 1) at--;
    if (at === stop) return true;
    // `at` is outside the alphabet, so a run starts after it and ends MIN_RUN - 1 later at the earliest.
    end = at + MIN_RUN;
  }
  return false;
}
