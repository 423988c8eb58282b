/**
 * Stance cues (issue 12): whether a text talks ABOUT attacks and prompts rather than giving orders.
 * A security write-up names attacks and defences sentence after sentence; code that sets a model up
 * holds its system prompt in a string literal. An attacker can dress a payload the same way, so these
 * cues only lower a score (the training script bounds how far) and never clear a text by themselves
 * (THREAT_MODEL.md, prompt injection).
 */
import type { SentenceCounts } from './clause-features.js';

export interface Stance {
  /** 0..1: how much of the text discusses attacks or defences (three such sentences make 1). */
  readonly discussion: number;
  /** 1 when a prompt sits in code as a literal (`system_prompt = "…"`, `{"role": "system", "content": …}` in a call). */
  readonly promptInCode: number;
}

/** Sentences of security vocabulary that make a text a discussion. */
const DISCUSSING = 3;
/** `=` signs and calls that make a text code rather than prose with one `=` in it. */
const CODE_TOKENS = 2;
// A key that names a prompt, then a string literal; or a chat message of the system role with its content.
const PROMPT_LITERAL = /\b(?:system_?prompt|system_?message|system|instructions|prompt|preamble)["']?\s{0,2}[=:]\s{0,2}(?:f|r)?["'`]|\brole["']?\s?:\s?["']system["']\s?,\s?["']?content\b/;

export function stanceOf(lower: string, counts: SentenceCounts): Stance {
  return {
    discussion: Math.min(1, counts.discussing / DISCUSSING),
    promptInCode: counts.codeTokens >= CODE_TOKENS && PROMPT_LITERAL.test(lower) ? 1 : 0,
  };
}
