/**
 * Stance cues (issue 12): whether a text talks ABOUT attacks and prompts rather than giving orders.
 * A security write-up names attacks and defences sentence after sentence; code that sets a model up
 * holds its system prompt in a string literal. An attacker can dress a payload the same way, so these
 * cues only lower a score (the training script bounds how far) and never clear a text by themselves
 * (THREAT_MODEL.md, prompt injection).
 */
import type { SentenceCounts } from './clause-features.js';
import { R } from './patterns/injection.js';

export interface Stance {
  /** 0..1: how much of the text discusses attacks or defences (three such sentences make 1). */
  readonly discussion: number;
  /** 1 when a prompt sits in code as a literal (`system_prompt = "…"`, `{"role": "system", "content": …}` in a call). */
  readonly promptInCode: number;
  /** 0..1: how much the text is code (`=` signs and calls; eight make 1). */
  readonly codeShape: number;
}

/** Sentences of security vocabulary that make a text a discussion. */
const DISCUSSING = 3;
/** `=` signs and calls that make a text code rather than prose with one `=` in it. */
const CODE_TOKENS = 2;
/** `=` signs and calls that make a text all code. */
const ALL_CODE = 8;
// A chat message of the system role with its content (`{"role": "system", "content": …}`).
const SYSTEM_MESSAGE = /\brole["']?\s?:\s?["']system["']\s?,\s?["']?content\b/;

export function stanceOf(lower: string, counts: SentenceCounts): Stance {
  return {
    discussion: Math.min(1, counts.discussing / DISCUSSING),
    codeShape: Math.min(1, counts.codeTokens / ALL_CODE),
    // The reader found a prompt's key opening a literal; the regex runs only when `system` was read.
    promptInCode: counts.codeTokens >= CODE_TOKENS && (counts.promptLiteral || ((counts.roles & R.AUTHORITY) !== 0 && SYSTEM_MESSAGE.test(lower))) ? 1 : 0,
  };
}
