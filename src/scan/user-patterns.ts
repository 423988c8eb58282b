import safeRegex from 'safe-regex';
import { ConfigError } from '../errors.js';

/** A redaction pattern from policy `redact.patterns` (rea 0.4 shape). */
export interface UserPatternInput {
  readonly name: string;
  readonly regex: string;
  readonly flags?: string;
}

export interface CompiledUserPattern {
  readonly name: string;
  readonly regex: RegExp;
}

/**
 * Compile the policy's user patterns once, at load. A pattern that does not compile, or that
 * safe-regex says may backtrack catastrophically, refuses the whole policy, naming the offender
 * (THREAT_MODEL.md, ReDoS): a redactor silently missing one pattern would leak what it was meant to hide.
 */
export function compileUserPatterns(entries: readonly UserPatternInput[], file = 'policy.yaml'): CompiledUserPattern[] {
  return entries.map((entry, i) => {
    const keyPath = `redact.patterns[${i}].regex`;
    const flags = normaliseFlags(entry.flags ?? '');
    let regex: RegExp;
    try {
      regex = new RegExp(entry.regex, flags);
    } catch (error) {
      throw new ConfigError(file, undefined, keyPath, `(pattern "${entry.name}") does not compile: ${(error as Error).message}`, { cause: error });
    }
    // Vet the source: safe-regex cannot parse some flags (`d`) and would then wave the pattern through.
    if (!safeRegex(entry.regex)) {
      throw new ConfigError(
        file,
        undefined,
        keyPath,
        `(pattern "${entry.name}") may backtrack catastrophically (safe-regex); bound its quantifiers and avoid nested repetition`,
      );
    }
    return { name: entry.name, regex };
  });
}

/** Global is implied; sticky would make the chunked matcher skip matches; `d` lets a `secret` group narrow the match. */
function normaliseFlags(flags: string): string {
  const set = new Set(flags.replace(/[gy]/g, ''));
  set.add('g');
  set.add('d');
  return [...set].join('');
}
