/**
 * Values that stand in for a secret rather than being one: templates, masks and the words people
 * write in examples (`<your-key>`, `${API_TOKEN}`, `xxxx`, `changeme`, `your_api_key_here`). A commit
 * of an `.env.example` or a README full of them is ordinary work and must pass the pre-commit gate.
 * Applied to the matched secret only (the catalog already narrows `password=` to its value).
 * Deliberately not "example": AWS documents real-shaped keys ending in EXAMPLE, and a gate that lets
 * a real-shaped key through because of a suffix teaches the wrong lesson.
 */

/** Template syntax, masks and filler words anywhere in the value. */
const PLACEHOLDER_PARTS =
  /<[^<>]{1,80}>|\$\{|\{\{|\$\(|%\(|x{4}|\*{4}|\.{3}|…|change[_-]?me|placeholder|replace[_-]?(?:me|this|with)|your[_-]?[a-z]{0,20}[_-]?(?:key|token|secret|password|here)|redacted|dummy|insert[_-]?(?:key|token|here)/i;

/** Whole values that are the name of the thing, not the thing (`postgres://user:password@db`). */
const PLACEHOLDER_WORDS = new Set([
  'password', 'pass', 'passwd', 'pwd', 'secret', 'token', 'key', 'apikey', 'api_key', 'value',
  'postgres', 'mysql', 'root', 'admin', 'user', 'username', 'test', 'example', 'foo', 'bar', 'none',
]);

/** A path to a key file (`private_key: ~/.config/rea/keys/app.key`) names where a secret lives, not the secret. */
const FILE_REFERENCE = /^(?:~|\.{1,2})?\/[\w.@/-]{1,250}$|^[\w.@-]{1,100}\/[\w.@/-]{0,200}\.(?:pem|key|p12|pfx|crt|json|txt|ya?ml|env)$/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_WORDS.has(value.toLowerCase()) || PLACEHOLDER_PARTS.test(value) || FILE_REFERENCE.test(value);
}
