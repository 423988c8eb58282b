/**
 * Text that only stands in for a secret: `<your-key>`, `${API_KEY}`, `xxxx`, `changeme`,
 * `your_api_key_here`. Refusing a README or an `.env.example` for these would be a false alarm.
 */
const PLACEHOLDER = /<[^<>]{1,64}>|\$\{[^}]{1,64}\}|\$[A-Z_][A-Z0-9_]{2,}|x{4,}|X{4,}|\*{4,}|\.{3,}|changeme|change[-_]me|replace[-_]?me|your[-_ ]?(?:api[-_ ]?)?(?:key|token|secret|password)|placeholder|redacted/i;

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}
