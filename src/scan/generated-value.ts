/**
 * Whether a value under a credential's name (`…_TOKEN=`, `clientKey:`, `token:`) looks generated
 * rather than written by a person: the test behind `keyed_token`, rea's counterpart of gitleaks'
 * generic rule, which catches providers no pattern of ours knows by their prefix. Generated tokens
 * mix letters and digits and hold few words; names, versions, cache keys and ids written by hand
 * (`v2-build-20261204-linux-x64`, `production-db-primary-2`) hold words or one case only.
 */
const MIN_LENGTH = 20;
/** A single-case value must be longer to count (hex keys, `[a-z0-9]` PATs): short ones are ids and versions. */
const MIN_SINGLE_CASE_LENGTH = 32;
/** At most this share of the value in words (`[A-Z]?[a-z]{3,}`): about a fifth in a random token. */
const MAX_WORD_SHARE = 0.5;

export function looksGenerated(value: string): boolean {
  const n = value.length;
  if (n < MIN_LENGTH) return false;
  let upper = 0;
  let lower = 0;
  let digits = 0;
  let separators = 0;
  let wordLetters = 0;
  let lowerRun = 0;
  let runStartsUpper = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? value.charCodeAt(i) : 0;
    const isLower = c >= 97 && c <= 122;
    if (isLower) {
      lower++;
      lowerRun++;
      continue;
    }
    if (lowerRun >= 3) wordLetters += lowerRun + (runStartsUpper ? 1 : 0);
    lowerRun = 0;
    runStartsUpper = c >= 65 && c <= 90;
    if (runStartsUpper) upper++;
    else if (c >= 48 && c <= 57) digits++;
    else if (c === 45 || c === 95 || c === 46) separators++;
  }
  if (digits === 0 || upper + lower === 0) return false;
  if (wordLetters > n * MAX_WORD_SHARE) return false;
  if (upper > 0 && lower > 0) return true;
  // One case only: long, and not a list of short parts (`2026-12-04-build-0042-linux-amd64-…`).
  return n >= MIN_SINGLE_CASE_LENGTH && separators <= 4 && digits * 5 >= n;
}
