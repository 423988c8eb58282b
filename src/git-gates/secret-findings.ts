/**
 * Secrets in a staged file: the project's one catalog (scan/patterns/secrets.ts) plus the policy's
 * `redact.patterns` and base64 runs that decode to a secret, the same passes the redactor makes.
 * A finding carries its line and the pattern's name; the matched value never leaves this file.
 */
import type { MatchRange } from '../scan/bounded-match.js';
import { findBase64Secrets } from '../scan/base64-secrets.js';
import { scanPatterns, USER_REGEX_GUARD, type PatternSet } from '../scan/pattern-scan.js';
import type { CompiledUserPattern } from '../scan/user-patterns.js';
import { isPlaceholder } from '../scan/placeholders.js';

export interface SecretFinding {
  readonly line: number;
  /** The catalog pattern that matched (`aws_access_key`, `slack_token`, a user pattern's name). */
  readonly kind: string;
}

export type SecretScan =
  | { readonly kind: 'scanned'; readonly findings: readonly SecretFinding[] }
  /** The scan ran out of its budget on this pattern: the caller refuses (fail closed). */
  | { readonly kind: 'timeout'; readonly pattern: string };

export interface SecretScanner {
  /**
   * Secrets in `text` that are not placeholders. With `previous` (the file as HEAD has it), a
   * secret already committed there is not reported again: the commit does not add it.
   */
  scan(text: string, previous?: string): SecretScan;
}

export function createSecretScanner(userPatterns: readonly CompiledUserPattern[], budgetMs: number): SecretScanner {
  const set: PatternSet = { user: userPatterns };
  // Operator patterns run in a worker; start it while git reads the blobs, as the redactor does.
  if (userPatterns.length > 0) USER_REGEX_GUARD.warm();

  function matches(text: string): MatchRange[] | string {
    const ranges: MatchRange[] = [];
    return scanPatterns(text, set, budgetMs, ranges) ?? findBase64Secrets(text, set, budgetMs, ranges) ?? ranges;
  }

  return {
    scan(text, previous) {
      const found = matches(text);
      if (typeof found === 'string') return { kind: 'timeout', pattern: found };
      const known = new Set<string>();
      if (previous !== undefined && found.length > 0) {
        const before = matches(previous);
        // An unfinished scan of the old file proves nothing was there before: report everything.
        if (typeof before !== 'string') for (const r of before) known.add(identity(previous, r));
      }
      const kept = found.filter((r) => !isPlaceholder(text.slice(r.start, r.end)) && !isKeyFileReference(text.slice(r.start, r.end)) && !known.has(identity(text, r)));
      return { kind: 'scanned', findings: locate(text, kept) };
    },
  };
}

function identity(text: string, range: MatchRange): string {
  return `${range.pattern}\0${text.slice(range.start, range.end)}`;
}

/** One finding per line and kind, in file order. */
function locate(text: string, ranges: readonly MatchRange[]): SecretFinding[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const findings: SecretFinding[] = [];
  const seen = new Set<string>();
  let line = 1;
  let at = 0;
  for (const r of sorted) {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < r.start; nl = text.indexOf('\n', nl + 1)) line += 1;
    at = r.start;
    const key = `${line}\0${r.pattern}`;
    if (!seen.has(key)) findings.push({ line, kind: r.pattern });
    seen.add(key);
  }
  return findings;
}

/** A path to a key file (`private_key: ~/.config/rea/keys/app.key`) names where a secret lives, not the secret. */
const KEY_FILE_REFERENCE = /^(?:~|\.{1,2})?\/[\w.@/-]{1,250}$|^[\w.@-]{1,100}\/[\w.@/-]{0,200}\.(?:pem|key|p12|pfx|crt|json|txt|ya?ml|env)$/;

export function isKeyFileReference(value: string): boolean {
  return KEY_FILE_REFERENCE.test(value);
}
