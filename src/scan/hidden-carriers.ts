/**
 * Carriers that hide text from the human or dress it as authority (THREAT_MODEL.md, prompt
 * injection: hidden markup): HTML comments, elements styled invisible, markdown comments, chat
 * template tokens and tags such as `<system>`, `[SYSTEM NOTICE]` or `{"role": "system"}`. Their
 * text is scanned with the rest; here we only say that the carrier is there.
 */
export interface Carriers {
  /** Text a reader does not see: comments, hidden elements, zero-size or white text. */
  readonly hidden: boolean;
  /** A tag or label claiming the voice of the system, an admin or the model's own turn. */
  readonly authorityMarkup: boolean;
  /** A URL whose query is a template to fill (`![x](https://h/p.png?d={secrets})`): exfiltration by rendering. */
  readonly urlTemplate: boolean;
  /** A shell or SQL command that destroys or runs code from afar (rm -rf, chmod 777, curl | sh). */
  readonly dangerousCommand: boolean;
}

const URL_TEMPLATE = /https?:\/\/[^\s)"']{1,200}?[?&][a-z0-9_]{1,30}=(?:\{|\$\{|%7b|<[a-z]|\[[a-z])/;

// Each test below starts with a literal (`<`, `[`, `rm`) and runs only when that literal occurs,
// so the engine scans for one character instead of trying every alternative at every position.
const HIDDEN_TAG =
  /<(?:(?:div|span|p|font|section|td)\b[^>]{0,300}?(?:display\s?:\s?none|visibility\s?:\s?hidden|font-size\s?:\s?0|opacity\s?:\s?0|color\s?[:=]\s?["']?(?:white|#fff\b|#ffffff)|\bhidden\b|aria-hidden|sr-only|left\s?:\s?-\d{3,})|(?:template|noscript)\b|meta\s[^>]{0,80}?name\s?=\s?["']?ai-)/;
const ALT_TEXT = /\balt\s?=\s?["'][^"']{0,40}\b(?:assistant|model|agent|ai)\b/;
const TAG_WORDS = 'system|system_prompt|system-prompt|system-reminder|sys|admin|important|assistant_instructions|ai_instructions|tool_instructions|developer|override|im_start|im_end';
const AUTHORITY_TAG = new RegExp(String.raw`<(?:\|?\s?\/?\s?(?:${TAG_WORDS})\b[^>\n]{0,20}\|?>|<\/?sys>>)`);
const AUTHORITY_BRACKET = /\[\/?inst\]|\[(?:system|admin|developer|assistant)\b[^\]\n]{0,40}\]/;
const AUTHORITY_OTHER = /"role"\s?:\s?"system"|#{2,}\s?(?:new\s)?(?:system|admin)\b|-{3,}begin system|>{2,}\s?system\b|\((?:#override|#system)\)/;
const RM = /\brm\s-[a-z]{0,3}r[a-z]{0,3}\s{1,3}[~/*$]/;
const PIPE_TO_SHELL = /\|\s{0,2}(?:ba|z)?sh\b/;
const OTHER_DANGER = /\bchmod\s(?:-r\s)?777\b|\bdrop\s(?:table|database)\b|\bmkfs\b|--force\b|\bgit\spush\s-f\b/;

export function findCarriers(lower: string): Carriers {
  const lt = lower.includes('<');
  const bracket = lower.includes('[');
  return {
    hidden: lower.includes('<!--') || lower.includes('[//]:') || lower.includes('[comment]:') || (lt && HIDDEN_TAG.test(lower)) || (lower.includes('alt') && ALT_TEXT.test(lower)),
    authorityMarkup:
      (lt && AUTHORITY_TAG.test(lower)) ||
      (bracket && AUTHORITY_BRACKET.test(lower)) ||
      ((lower.includes('system') || lower.includes('admin') || lower.includes('#override')) && AUTHORITY_OTHER.test(lower)),
    urlTemplate: lower.includes('://') && URL_TEMPLATE.test(lower),
    dangerousCommand:
      (lower.includes('rm -') && RM.test(lower)) ||
      (lower.includes('|') && PIPE_TO_SHELL.test(lower)) ||
      ((lower.includes('777') || lower.includes('drop ') || lower.includes('mkfs') || lower.includes('--force') || lower.includes('push -f')) && OTHER_DANGER.test(lower)),
  };
}
