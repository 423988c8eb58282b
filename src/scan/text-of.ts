/**
 * The text a model would read in an MCP value, for the injection classifier: every string in it
 * except binary payloads (`blob`, image/audio `data`), joined by newlines and capped in length.
 */
const BINARY_KEYS = new Set(['blob', 'data']);
const MAX_TEXT = 1024 * 1024;

export function textOf(value: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const walk = (node: unknown, key: string | undefined): void => {
    if (size >= MAX_TEXT) return;
    if (typeof node === 'string') {
      if (key !== undefined && BINARY_KEYS.has(key)) return;
      parts.push(node);
      size += node.length + 1;
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, undefined);
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(value, undefined);
  const text = parts.join('\n');
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
