/**
 * Per-line work of the verifier, on bytes. For a canonical line the stored hash is the last 64
 * characters before `"}` and the hashed text is the line with `,"hash":"…"` cut out, so we hash a
 * view of the read buffer in place (its `,` is briefly turned into `}`): no decode, no parse, no
 * copy. Anything else (and any line we need fields from) takes the parsing path.
 */
import { hash } from 'node:crypto';
import type { AuditRecord } from './record.js';
import { HASH_SUFFIX_LENGTH, sha256Hex } from './record.js';
import { checkLine } from './line-check.js';

export interface LineInfo {
  readonly kind: 'ok' | 'mismatch' | 'unparseable';
  /** Stored hash (ok, mismatch) or sha256 of the raw bytes (unparseable). */
  readonly hash: string;
  readonly prev?: string;
  /** Present when the line was parsed. */
  readonly record?: AuditRecord;
  readonly detail?: string;
  /** tool_name marks an audit-system record (rotation, checkpoint, retention, recovery). */
  readonly isSystem: boolean;
}

const SUFFIX_HEAD = Buffer.from(',"hash":"');
const PREV_KEY = Buffer.from('"prev_hash":"');
const TOOL_KEY = Buffer.from('"tool_name":"');
const SYSTEM_PREFIXES = [Buffer.from('rea.audit.'), Buffer.from('audit.rotation"')];

export function analyzeLine(buf: Buffer, start: number, end: number, wantRecord: boolean): LineInfo {
  const line = buf.subarray(start, end);
  const len = line.length;
  const cut = len - HASH_SUFFIX_LENGTH;
  if (cut > 1 && line[len - 1] === 0x7d && line[len - 2] === 0x22 && line.compare(SUFFIX_HEAD, 0, SUFFIX_HEAD.length, cut, cut + SUFFIX_HEAD.length) === 0) {
    const stored = line.toString('latin1', cut + SUFFIX_HEAD.length, len - 2);
    line[cut] = 0x7d;
    const computed = hash('sha256', line.subarray(0, cut + 1), 'hex');
    line[cut] = 0x2c;
    if (computed === stored) {
      const p = line.indexOf(PREV_KEY);
      const isSystem = isSystemLine(line);
      if (p !== -1 && p + PREV_KEY.length + 64 <= cut && !wantRecord && !isSystem) {
        return { kind: 'ok', hash: stored, prev: line.toString('latin1', p + PREV_KEY.length, p + PREV_KEY.length + 64), isSystem };
      }
    }
  }
  return analyzeParsed(line);
}

function isSystemLine(line: Buffer): boolean {
  const t = line.indexOf(TOOL_KEY);
  if (t === -1) return false;
  const from = t + TOOL_KEY.length;
  return SYSTEM_PREFIXES.some((prefix) => line.compare(prefix, 0, prefix.length, from, from + prefix.length) === 0);
}

function analyzeParsed(line: Buffer): LineInfo {
  const check = checkLine(line.toString('utf8'));
  switch (check.kind) {
    case 'ok':
    case 'mismatch': {
      const isSystem = typeof check.record.tool_name === 'string' && (check.record.tool_name.startsWith('rea.audit.') || check.record.tool_name === 'audit.rotation');
      return { kind: check.kind, hash: check.record.hash, prev: check.record.prev_hash, record: check.record, isSystem };
    }
    case 'unparseable':
      return { kind: 'unparseable', hash: sha256Hex(line), detail: check.detail, isSystem: false };
    default: {
      const never: never = check;
      return never;
    }
  }
}

export function seqOf(record: AuditRecord | undefined): number | undefined {
  const seq = record?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : undefined;
}
