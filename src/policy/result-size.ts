/**
 * Bound a tool result (or resource read) to `max` bytes and keep it a well-formed MCP result
 * (THREAT_MODEL.md T6): text is cut at a character boundary with a visible notice, binary items that
 * do not fit become a text notice, and `structuredContent` is kept whole or dropped. The SDK client
 * rejects a result without `structuredContent` from a tool with an `outputSchema` unless `isError` is
 * set (Client.callTool), so a dropped one also sets `isError`, with the reason in the content.
 */

import { isPlainObject } from '../plain-object.js';

export interface CapReport {
  readonly result: Record<string, unknown>;
  readonly truncated: boolean;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

const TRUNCATED_META_KEY = 'rea/truncated';
/** Room kept for notices, so a cap never has to cut the notice itself. */
const NOTICE_RESERVE = 160;

type Item = Record<string, unknown>;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

function itemBytes(item: unknown): number {
  if (item === null || typeof item !== 'object') return 0;
  const it = item as Item;
  let n = 0;
  const { text, data, blob } = it;
  if (typeof text === 'string') n += utf8(text);
  if (typeof data === 'string') n += utf8(data);
  if (typeof blob === 'string') n += utf8(blob);
  if (it['resource'] && typeof it['resource'] === 'object') n += itemBytes(it['resource']);
  return n;
}

/** Cut a string to at most `bytes` UTF-8 bytes without splitting a character. */
export function cutUtf8(text: string, bytes: number): string {
  if (utf8(text) <= bytes) return text;
  const buf = Buffer.from(text, 'utf8');
  let end = Math.max(0, bytes);
  // Step back to the lead byte of the character that straddles the cut (continuation bytes are 10xxxxxx).
  let start = end;
  while (start > 0 && (buf[start]! & 0xc0) === 0x80) start -= 1;
  if (start < end) end = start;
  return buf.subarray(0, end).toString('utf8');
}

function capItem(item: unknown, budget: number): { item: unknown; used: number } {
  const size = itemBytes(item);
  if (size <= budget || item === null || typeof item !== 'object') return { item, used: size };
  const it = item as Item;
  if (typeof it['text'] === 'string') {
    const kept = cutUtf8(it['text'], budget);
    const text = `${kept}\n[rea: result truncated: kept ${utf8(kept)} of ${size} bytes]`;
    return { item: { ...it, text }, used: utf8(text) };
  }
  if (it['resource'] && typeof it['resource'] === 'object') {
    const inner = capItem(it['resource'], budget);
    if (typeof (inner.item as Item)['text'] === 'string') return { item: { ...it, resource: inner.item }, used: inner.used };
  }
  const kind = typeof it['mimeType'] === 'string' ? it['mimeType'] : String(it['type'] ?? 'binary');
  const text = `[rea: ${kind} item of ${size} bytes removed: over the result size cap]`;
  return { item: { type: 'text', text }, used: utf8(text) };
}

/** Keys whose bytes are counted item by item; every other top-level field (`_meta` too) is counted whole. */
const ITEM_KEYS = new Set(['content', 'contents', 'messages', 'structuredContent']);
/** Share of the cap that `_meta` and extra fields may keep when a result is over it. */
const SIDE_SHARE = 4;

const jsonBytes = (value: unknown): number => (value === undefined ? 0 : utf8(JSON.stringify(value) ?? ''));

/** The content items of a result: a list (`content`, `contents`), one block (sampling), or prompt messages' contents. */
function itemsOf(result: Record<string, unknown>): { items: unknown[]; rebuild: (capped: unknown[], out: Item) => void } {
  for (const key of ['content', 'contents'] as const) {
    if (Array.isArray(result[key])) return { items: result[key] as unknown[], rebuild: (capped, out) => void (out[key] = capped) };
  }
  // A sampling result carries one content block, not a list; it stays one block, and `_meta` says so.
  if (isPlainObject(result['content'])) return { items: [result['content']], rebuild: (capped, out) => void (out['content'] = capped[0]) };
  const messages = result['messages'];
  if (Array.isArray(messages)) {
    return {
      items: messages.map((m) => (isPlainObject(m) ? m['content'] : undefined)),
      rebuild: (capped, out) => {
        const kept = messages.map((m, i) => (isPlainObject(m) ? { ...m, content: capped[i] } : m));
        // Notices beyond the messages (a removed field) become one more message, so none is lost.
        for (const extra of capped.slice(messages.length)) kept.push({ role: 'user', content: extra });
        out['messages'] = kept;
      },
    };
  }
  return { items: [], rebuild: (capped, out) => void (capped.length > 0 && (out['content'] = capped)) };
}

/** What `capResult` counts, counted the same way (content items as `itemsOf` picks them, every other field whole). */
function resultBytes(result: Record<string, unknown>): number {
  let total = 0;
  for (const key in result) {
    if (!Object.hasOwn(result, key)) continue;
    if (key === 'structuredContent' || !ITEM_KEYS.has(key)) total += jsonBytes(result[key]);
  }
  const content = result['content'];
  const contents = result['contents'];
  const messages = result['messages'];
  if (Array.isArray(content)) {
    for (let i = 0; i < content.length; i += 1) total += itemBytes(content[i]);
  } else if (Array.isArray(contents)) {
    for (let i = 0; i < contents.length; i += 1) total += itemBytes(contents[i]);
  } else if (isPlainObject(content)) {
    total += itemBytes(content);
  } else if (Array.isArray(messages)) {
    for (let i = 0; i < messages.length; i += 1) {
      const m: unknown = messages[i];
      if (isPlainObject(m)) total += itemBytes(m['content']);
    }
  }
  return total;
}

/**
 * Every byte of the result counts: content items, structured content, prompt messages, `_meta`
 * and any other field (review finding 5). Over the cap, `_meta` and other fields keep at most a
 * quarter of it (what the model reads comes first), and whatever is removed is named in a notice.
 */
export function capResult(result: Record<string, unknown>, max: number): CapReport {
  // The usual result is under the cap: measured without building anything (issue 11, allocation).
  const measured = resultBytes(result);
  if (measured <= max) return { result, truncated: false, bytesBefore: measured, bytesAfter: measured };
  const { items, rebuild } = itemsOf(result);
  const structured = result['structuredContent'];
  const structuredBytes = jsonBytes(structured);
  const side = Object.keys(result).filter((key) => !ITEM_KEYS.has(key));
  const sideBytes = new Map(side.map((key) => [key, jsonBytes(result[key])]));
  let before = structuredBytes;
  for (const item of items) before += itemBytes(item);
  for (const n of sideBytes.values()) before += n;
  if (before <= max) return { result, truncated: false, bytesBefore: before, bytesAfter: before };

  const out: Record<string, unknown> = { ...result };
  let budget = Math.max(0, max - NOTICE_RESERVE);
  let after = 0;
  const notices: string[] = [];
  let sideBudget = Math.floor(budget / SIDE_SHARE);
  for (const key of [...side].sort((a, b) => sideBytes.get(a)! - sideBytes.get(b)!)) {
    const n = sideBytes.get(key)!;
    if (n <= sideBudget) {
      sideBudget -= n;
      budget -= n;
      after += n;
    } else {
      delete out[key];
      notices.push(`[rea: field "${key}" of ${n} bytes removed: over the result size cap of ${max} bytes]`);
    }
  }
  if (structured !== undefined) {
    if (structuredBytes <= budget) {
      budget -= structuredBytes;
      after += structuredBytes;
    } else {
      delete out['structuredContent'];
      out['isError'] = true;
      notices.push(`[rea: structured result of ${structuredBytes} bytes removed: over the result size cap of ${max} bytes]`);
    }
  }
  const capped: unknown[] = [];
  for (const item of items) {
    const next = capItem(item, budget);
    capped.push(next.item);
    budget = Math.max(0, budget - next.used);
    after += next.used;
  }
  for (const text of notices) {
    capped.push({ type: 'text', text });
    after += utf8(text);
  }
  // A single block has no room for a notice: it stays one block.
  rebuild(isPlainObject(result['content']) ? capped.slice(0, 1) : capped, out);
  const meta = isPlainObject(out['_meta']) ? out['_meta'] : {};
  out['_meta'] = { ...meta, [TRUNCATED_META_KEY]: true };
  return { result: out, truncated: true, bytesBefore: before, bytesAfter: after };
}
