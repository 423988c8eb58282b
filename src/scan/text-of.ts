/**
 * The text a model would read in an MCP value, for the injection classifier: every string in it
 * except binary payloads, joined by newlines and capped in length (THREAT_MODEL.md T13).
 *
 * What is read first comes first, so filler cannot push it out of the classifier's view: at every
 * level the model-facing keys (`content`, `contents`, `messages`, `text`) lead and `_meta` (which
 * no model reads) comes last, and one long string contributes only its head and tail.
 * Binary is only a resource's `blob` and an image or audio item's `data`: any other `data` is text.
 */
const MAX_TEXT = 1024 * 1024;
/** One string's share: its first and last half of this. */
const MAX_STRING = 128 * 1024;
const FIRST_KEYS = ['content', 'contents', 'messages', 'text'] as const;
const LAST_KEY = '_meta';
const BINARY_ITEM_TYPES = new Set(['image', 'audio']);

export function textOf(value: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const push = (text: string): void => {
    const part = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING / 2)}\n${text.slice(-MAX_STRING / 2)}` : text;
    parts.push(part);
    size += part.length + 1;
  };
  const walk = (node: unknown): void => {
    if (size >= MAX_TEXT) return;
    if (typeof node === 'string') push(node);
    else if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node !== null && typeof node === 'object') walkObject(node as Record<string, unknown>);
  };
  const walkObject = (node: Record<string, unknown>): void => {
    const isBinaryItem = typeof node['type'] === 'string' && BINARY_ITEM_TYPES.has(node['type']);
    const skip = (key: string): boolean => key === 'blob' || (key === 'data' && isBinaryItem);
    for (const key of FIRST_KEYS) if (key in node && !skip(key)) walk(node[key]);
    for (const [key, child] of Object.entries(node)) {
      if (key === LAST_KEY || skip(key) || (FIRST_KEYS as readonly string[]).includes(key)) continue;
      walk(child);
    }
    if (LAST_KEY in node) walk(node[LAST_KEY]);
  };
  walk(value);
  const text = parts.join('\n');
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
