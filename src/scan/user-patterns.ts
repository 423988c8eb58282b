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
    const problem = vetUserPattern(entry.regex, flags);
    if (problem !== undefined) throw new ConfigError(file, undefined, keyPath, `(pattern "${entry.name}") ${problem}`);
    return { name: entry.name, regex: new RegExp(entry.regex, flags) };
  });
}

/**
 * Why a user regex is refused, or undefined when it compiles and safe-regex accepts it (THREAT_MODEL.md
 * T12): the one vetting of user patterns, for the policy schema at load and for the redactor.
 */
export function vetUserPattern(source: string, flags = ''): string | undefined {
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, flags);
  } catch (error) {
    return `does not compile: ${(error as Error).message}`;
  }
  // Vet the source alone: safe-regex cannot parse some flags (`d`) and would then wave the pattern through.
  if (!safeRegex(compiled.source)) return 'may backtrack catastrophically (safe-regex); bound its quantifiers and avoid nested repetition';
  return undefined;
}

/** Global is implied; sticky would make the chunked matcher skip matches; `d` lets a `secret` group narrow the match. */
function normaliseFlags(flags: string): string {
  const set = new Set(flags.replace(/[gy]/g, ''));
  set.add('g');
  set.add('d');
  return [...set].join('');
}
