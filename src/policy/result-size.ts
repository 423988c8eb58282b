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

export const TRUNCATED_META_KEY = 'rea/truncated';
/** Room kept for notices, so a cap never has to cut the notice itself. */
const NOTICE_RESERVE = 160;

type Item = Record<string, unknown>;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

function itemBytes(item: unknown): number {
  if (item === null || typeof item !== 'object') return 0;
  const it = item as Item;
  let n = 0;
  for (const key of ['text', 'data', 'blob'] as const) if (typeof it[key] === 'string') n += utf8(it[key]);
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

export function capResult(result: Record<string, unknown>, max: number): CapReport {
  const listKey = Array.isArray(result['content']) ? 'content' : Array.isArray(result['contents']) ? 'contents' : undefined;
  // A sampling result carries one content block, not a list.
  const single = listKey === undefined && isPlainObject(result['content']) ? result['content'] : undefined;
  const items = listKey ? (result[listKey] as unknown[]) : single ? [single] : [];
  const structured = result['structuredContent'];
  const structuredBytes = structured === undefined ? 0 : utf8(JSON.stringify(structured) ?? '');
  let before = structuredBytes;
  for (const item of items) before += itemBytes(item);
  if (before <= max) return { result, truncated: false, bytesBefore: before, bytesAfter: before };

  const out: Record<string, unknown> = { ...result };
  let budget = Math.max(0, max - NOTICE_RESERVE);
  let after = 0;
  if (structured !== undefined) {
    if (structuredBytes <= budget) {
      budget -= structuredBytes;
      after += structuredBytes;
    } else {
      delete out['structuredContent'];
      out['isError'] = true;
    }
  }
  const capped: unknown[] = [];
  for (const item of items) {
    const next = capItem(item, budget);
    capped.push(next.item);
    budget = Math.max(0, budget - next.used);
    after += next.used;
  }
  if (structured !== undefined && out['structuredContent'] === undefined) {
    const text = `[rea: structured result of ${structuredBytes} bytes removed: over the result size cap of ${max} bytes]`;
    capped.push({ type: 'text', text });
    after += utf8(text);
  }
  if (listKey) out[listKey] = capped;
  // A single block stays one block; it has no room for a second notice, and `_meta` still says so.
  if (single) out['content'] = capped[0];
  const meta = result['_meta'] && typeof result['_meta'] === 'object' ? (result['_meta'] as Item) : {};
  out['_meta'] = { ...meta, [TRUNCATED_META_KEY]: true };
  return { result: out, truncated: true, bytesBefore: before, bytesAfter: after };
}
