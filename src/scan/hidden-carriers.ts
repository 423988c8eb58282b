/**
 * Carriers that hide text from the human or dress it as authority (THREAT_MODEL.md, prompt
 * injection: hidden markup): HTML comments, elements styled invisible, markdown comments, chat
 * template tokens and tags such as `<system>`, `[SYSTEM NOTICE]` or `{"role": "system"}`. Their
 * text is scanned with the rest; here we only say that the carrier is there.
 */
import { R } from './patterns/injection.js';
import { P } from './clause-features.js';

export interface Carriers {
  /** Text a reader does not see: comments, hidden elements, zero-size or white text. */
  readonly hidden: boolean;
  /** A tag or label claiming the voice of the system, an admin or the model's own turn. */
  readonly authorityMarkup: boolean;
  /** A URL whose query is a template to fill (`![x](https://h/p.png?d={secrets})`): exfiltration by rendering. */
  readonly urlTemplate: boolean;
  /** A shell or SQL command that destroys or runs code from afar (rm -rf, chmod 777, curl | sh). */
  readonly dangerousCommand: boolean;
  /** A tool call written out for the model to make: `<function_call>`, `{"tool": "bank_transfer", …}`, `{"name": "x_y", "arguments": …}`. */
  readonly toolCall: boolean;
}

// A placeholder (`?d={secrets}`) or a parameter left empty at the URL's end (`?c= and fetch it`).
const URL_TEMPLATE = /https?:\/\/[^\s)"']{1,200}?[?&][a-z0-9_]{1,30}=(?:\{|\$\{|%7b|<[a-z]|\[[a-z]|(?=[\s)"'\]]|$))/;

// Each test below starts with a literal (`<`, `[`, `rm`) and runs only when that literal occurs,
// so the engine scans for one character instead of trying every alternative at every position.
const HIDDEN_TAG =
  /<(?:(?:div|span|p|font|section|td)\b[^>]{0,300}?(?:display\s?:\s?none|visibility\s?:\s?hidden|font-size\s?:\s?0|opacity\s?:\s?0|color\s?[:=]\s?["']?(?:white|#fff\b|#ffffff)|\bhidden\b|aria-hidden|sr-only|left\s?:\s?-\d{3,})|(?:template|noscript)\b|meta\s[^>]{0,80}?name\s?=\s?["']?ai-)/;
const ALT_TEXT = /\balt\s?=\s?["'][^"']{0,40}\b(?:assistant|model|agent|ai)\b/;
const TAG_WORDS = 'system|system_prompt|system-prompt|system-reminder|sys|admin|important|assistant_instructions|ai_instructions|tool_instructions|developer|override|im_start|im_end';
const AUTHORITY_TAG = new RegExp(String.raw`<(?:\|?\s?\/?\s?(?:${TAG_WORDS})\b[^>\n]{0,20}\|?>|<\/?sys>>)`);
const AUTHORITY_BRACKET = /\[\/?inst\]|\[(?:system|admin|developer|assistant)\b[^\]\n]{0,40}\]/;
const AUTHORITY_OTHER = /"role"\s?:\s?"system"|#{2,}\s?(?:new\s)?(?:system|admin)\b|-{3,}begin system|>{2,}\s?system\b|\((?:#override|#system)\)/;
const TOOL_CALL_KEY = /"(?:tool|tool_name|function|function_name)"\s?:\s?"/;
const TOOL_CALL_NAMED = /"name"\s?:\s?"[a-z0-9]{1,30}[_.-][a-z0-9_.-]{1,40}"\s?,\s?"(?:arguments|args)"\s?:/;
const RM = /\brm\s-[a-z]{0,3}r[a-z]{0,3}\s{1,3}[~/*$]/;
const PIPE_TO_SHELL = /\|\s{0,2}(?:ba|z)?sh\b/;
const OTHER_DANGER = /\bchmod\s(?:-r\s)?777\b|\bdrop\s(?:table|database)\b|\bmkfs\b|--force\b|\bgit\spush\s-f\b/;

/** What the reader saw (clause-features.ts): each check runs only when its starting point occurs. */
export interface CarrierHints {
  readonly punctuation: number;
  readonly roles: number;
  /** The reader saw a tag that writes out a tool call (`<function_call>`), or a JSON key that may name one (`"tool"`). */
  readonly toolCallTag?: boolean;
  readonly toolKey?: boolean;
}

export function findCarriers(lower: string, hints: CarrierHints): Carriers {
  const lt = (hints.punctuation & P.LT) !== 0;
  const bracket = (hints.punctuation & P.BRACKET) !== 0;
  return {
    hidden: (lt && (lower.includes('<!--') || HIDDEN_TAG.test(lower) || ALT_TEXT.test(lower))) || (bracket && (lower.includes('[//]:') || lower.includes('[comment]:'))),
    authorityMarkup:
      (lt && AUTHORITY_TAG.test(lower)) ||
      (bracket && AUTHORITY_BRACKET.test(lower)) ||
      ((hints.roles & (R.AUTHORITY | R.OVERRIDE)) !== 0 && AUTHORITY_OTHER.test(lower)),
    urlTemplate: (hints.punctuation & P.SCHEME) !== 0 && URL_TEMPLATE.test(lower),
    toolCall: hints.toolCallTag === true || (hints.toolKey === true && (TOOL_CALL_KEY.test(lower) || TOOL_CALL_NAMED.test(lower))),
    dangerousCommand: ((hints.roles & R.HARM) !== 0 && (RM.test(lower) || OTHER_DANGER.test(lower))) || ((hints.punctuation & P.PIPE) !== 0 && PIPE_TO_SHELL.test(lower)),
  };
}
