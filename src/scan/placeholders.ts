/**
 * Placeholders are not secrets (issue 12): documentation and templates write `password`,
 * `changeme`, `<your-key>`, `${DB_PASSWORD}`, `xxxx` or `example` where a value goes. The redactor
 * leaves a matched value alone when it is one of these; the Claude Code hooks and the git
 * pre-commit gate import the same test so every layer agrees on what a placeholder is.
 */
const WORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'api-key', 'key', 'changeme', 'change-me', 'change_me',
  'example', 'sample', 'placeholder', 'dummy', 'redacted', 'none', 'null', 'nil', 'undefined', 'empty', 'todo', 'tbd', 'fixme',
  'mypassword', 'yourpassword', 'my-password', 'your-password', 'my_password', 'your_password', 'secretpassword', 'mysecret', 'yoursecret',
  'username', 'user', 'foo', 'bar', 'foobar', 'test', 'testing', 'string', 'value', 'default',
]);

/** Templating and references: `<…>`, `${…}`, `$VAR`, `{{…}}`, `%(…)s`, `[…]`. */
const REFERENCE = /^(?:<[^<>]{1,80}>|\$\{[^{}]{1,80}\}|\$\(?[A-Za-z_][A-Za-z0-9_]{0,80}\)?|\{\{[^{}]{1,80}\}\}|%\([^()]{1,40}\)s|\[[^[\]]{1,80}\])$/;
/** Masks and fillers: `xxxx`, `****`, `....`, `0000`, and names like `your_api_key_here`. */
const FILLER = /x{4,}|\*{3,}|\.{4,}|^(?:0+|_+|-+|#+)$|^(?:your|my|insert|enter|replace|put)[-_][a-z0-9_-]*$|[-_]here$|^<|>$/i;

/** Whether `value` (a matched secret, quotes allowed) is a placeholder rather than a secret. */
export function isPlaceholder(value: string): boolean {
  const v = value.replace(/^["'`]|["'`]$/g, '').trim();
  if (v.length === 0) return true;
  return WORDS.has(v.toLowerCase()) || REFERENCE.test(v) || FILLER.test(v);
}
