/**
 * Checks one log line against its own hash. Canonical lines (every line rea 0.4 and we write) end
 * in `,"hash":"<64 hex>"}`, and the hashed text is exactly that line with the suffix cut off and
 * `}` put back, so we hash the line's own bytes: one parse, no re-stringify, and any byte changed
 * anywhere in the line is caught. Lines in another shape fall back to rea 0.4's rule.
 */
import { HASH_SUFFIX_LENGTH, sha256Hex } from './record.js';
import type { AuditRecord } from './record.js';

export type LineCheck =
  | { readonly kind: 'ok'; readonly record: AuditRecord }
  | { readonly kind: 'mismatch'; readonly record: AuditRecord; readonly computed: string }
  | { readonly kind: 'unparseable'; readonly detail: string };

const HEX64 = /^[0-9a-f]{64}$/;
const SUFFIX_HEAD = ',"hash":"';

export function checkLine(line: string): LineCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { kind: 'unparseable', detail: `invalid JSON (${(error as Error).message})` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { kind: 'unparseable', detail: 'not a JSON object' };
  }
  const record = parsed as AuditRecord;
  if (typeof record.hash !== 'string' || !HEX64.test(record.hash) || typeof record.prev_hash !== 'string') {
    return { kind: 'unparseable', detail: 'not an audit record (no `hash`/`prev_hash`)' };
  }
  const computed = computeLineHash(line, record);
  return computed === record.hash ? { kind: 'ok', record } : { kind: 'mismatch', record, computed };
}

function computeLineHash(line: string, record: AuditRecord): string {
  const cut = line.length - HASH_SUFFIX_LENGTH;
  if (cut > 1 && line.endsWith('"}') && line.startsWith(SUFFIX_HEAD, cut)) {
    return sha256Hex(`${line.slice(0, cut)}}`);
  }
  const rest: Record<string, unknown> = { ...record };
  delete rest['hash'];
  return sha256Hex(JSON.stringify(rest));
}
