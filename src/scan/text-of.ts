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
const FIRST_KEY_SET: ReadonlySet<string> = new Set(FIRST_KEYS);
const LAST_KEY = '_meta';
const BINARY_ITEM_TYPES = new Set(['image', 'audio']);

export function textOf(value: unknown): string {
  const state: Gathered = { first: undefined, rest: undefined, size: 0 };
  walk(value, state);
  if (state.first === undefined) return '';
  // A value with one string is that string; most results hold two (an item's text and type).
  if (state.rest === undefined) return state.first.length > MAX_TEXT ? state.first.slice(0, MAX_TEXT) : state.first;
  const text = `${state.first}\n${state.rest.join('\n')}`;
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

/** What has been read so far. Plain functions over it, not closures per call (issue 11, allocation per call). */
interface Gathered {
  first: string | undefined;
  /** The parts after the first, once there are any. */
  rest: string[] | undefined;
  size: number;
}

function push(text: string, state: Gathered): void {
  const part = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING / 2)}\n${text.slice(-MAX_STRING / 2)}` : text;
  if (state.first === undefined) state.first = part;
  else if (state.rest === undefined) state.rest = [part];
  else state.rest.push(part);
  state.size += part.length + 1;
}

function walk(node: unknown, state: Gathered): void {
  if (state.size >= MAX_TEXT) return;
  if (typeof node === 'string') push(node, state);
  else if (Array.isArray(node)) for (let i = 0; i < node.length; i += 1) walk(node[i], state);
  else if (node !== null && typeof node === 'object') walkObject(node as Record<string, unknown>, state);
}

function walkObject(node: Record<string, unknown>, state: Gathered): void {
  const isBinaryItem = typeof node['type'] === 'string' && BINARY_ITEM_TYPES.has(node['type']);
  for (let i = 0; i < FIRST_KEYS.length; i += 1) {
    const key = FIRST_KEYS[i]!;
    if (key in node && !skipped(key, isBinaryItem)) walk(node[key], state);
  }
  // Own enumerable keys in `Object.entries` order, without building the entries.
  for (const key in node) {
    if (!Object.hasOwn(node, key) || key === LAST_KEY || skipped(key, isBinaryItem) || FIRST_KEY_SET.has(key)) continue;
    walk(node[key], state);
  }
  if (LAST_KEY in node) walk(node[LAST_KEY], state);
}

/** Binary payloads: a resource's `blob`, an image or audio item's `data`. */
function skipped(key: string, isBinaryItem: boolean): boolean {
  return key === 'blob' || (key === 'data' && isBinaryItem);
}
