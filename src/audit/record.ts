/**
 * The audit record and its hash, compatible with rea 0.4: the same fields in the same order, and
 * `hash = sha256hex(JSON.stringify(record without hash))` with `hash` written last. Fields after
 * `metadata` are ours; rea 0.4's verifier re-hashes whatever keys a line holds, so it accepts them.
 */
import { sha256Hex } from '../sha256.js';
import type { Tier } from '../policy/levels.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditStatus = 'allowed' | 'denied' | 'error';
/** `intent`: written before a write/destructive call is forwarded; `outcome`: its one result; `event`: gateway events. */
export type AuditPhase = 'intent' | 'outcome' | 'event';

/** Fields rea adds after rea 0.4's (all optional: 0.4 records have none of them). */
export interface AuditTrail {
  call_id?: string;
  phase?: AuditPhase;
  surface?: string;
  /** sha256 of the canonical arguments: proves what was sent without storing it. */
  args_digest?: string;
  deny_stage?: string;
  deny_code?: string;
}

export interface AuditRecord extends AuditTrail {
  timestamp: string;
  session_id: string;
  tool_name: string;
  server_name: string;
  tier: Tier;
  status: AuditStatus;
  autonomy_level: string;
  duration_ms: number;
  prev_hash: string;
  error?: string;
  redacted_fields?: string[];
  metadata?: Record<string, unknown>;
  /** Position in the chain, counted across rotations (absent in rea 0.4 records). */
  seq?: number;
  hash: string;
}

/** What a caller supplies; the writer fills in timestamp, chain position and hash. */
export interface AuditInput extends AuditTrail {
  tool_name: string;
  server_name: string;
  session_id?: string;
  tier?: Tier;
  status?: AuditStatus;
  autonomy_level?: string;
  duration_ms?: number;
  error?: string;
  redacted_fields?: readonly string[];
  metadata?: Record<string, unknown>;
  /** ISO-8601 UTC; defaults to now. */
  timestamp?: string;
}

const HASH_KEY = ',"hash":"';
/** The bytes every canonical line ends with: `,"hash":"<64 hex>"}`. */
export const HASH_SUFFIX_LENGTH = HASH_KEY.length + 64 + '"}'.length;

export { sha256Hex };

/** A record as built: the record, and its JSON without the hash (what the hash is taken over). */
export interface BuiltRecord {
  readonly record: AuditRecord;
  readonly body: string;
}

/**
 * Builds a record. The body is stringified once; its line is the body with the hash spliced in as
 * the last key (`recordLine`), which is exactly `JSON.stringify(record)`.
 */
export function buildRecord(input: AuditInput, prevHash: string, seq: number, defaultSessionId: string): BuiltRecord {
  // Every key in one literal, in line order: the object gets its whole shape at once instead of
  // growing a property store key by key. `JSON.stringify` leaves out the undefined ones, so the
  // line is the same as with only the present keys (held to that by test/unit/audit/record.test.ts).
  const body: Omit<AuditRecord, 'hash'> & { hash: string | undefined } = {
    timestamp: input.timestamp ?? new Date().toISOString(),
    session_id: input.session_id ?? defaultSessionId,
    tool_name: input.tool_name,
    server_name: input.server_name,
    tier: input.tier ?? 'read',
    status: input.status ?? 'allowed',
    autonomy_level: input.autonomy_level ?? 'unknown',
    duration_ms: input.duration_ms ?? 0,
    prev_hash: prevHash,
    error: input.error,
    redacted_fields: input.redacted_fields !== undefined && input.redacted_fields.length > 0 ? [...input.redacted_fields] : undefined,
    metadata: input.metadata !== undefined && hasOwnKeys(input.metadata) ? input.metadata : undefined,
    seq,
    call_id: input.call_id,
    phase: input.phase,
    surface: input.surface,
    args_digest: input.args_digest,
    deny_stage: input.deny_stage,
    deny_code: input.deny_code,
    hash: undefined,
  };
  const json = JSON.stringify(body);
  // The body becomes the record (hash last, as in the line): a copy costs more than the hash.
  body.hash = sha256Hex(json);
  return { record: body as AuditRecord, body: json };
}

/** A built record's line, without the newline. */
export function recordLine(built: BuiltRecord): string {
  return `${built.body.slice(0, -1)}${HASH_KEY}${built.record.hash}"}`;
}

/** A built record's line in UTF-8 bytes, without the newline: the body less its closing brace, plus the hash suffix. */
export function lineBytes(built: BuiltRecord): number {
  return Buffer.byteLength(built.body) - 1 + HASH_SUFFIX_LENGTH;
}

/**
 * The lines of `built`, each followed by a newline, as the bytes written to the log: encoded
 * straight from each body and hash, so no joined copy of the batch is made as a string first.
 */
export function encodeLines(built: readonly BuiltRecord[]): Buffer {
  let size = 0;
  for (const b of built) size += lineBytes(b) + 1;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const b of built) {
    // Written over the body's closing brace: the hash becomes the last key.
    at += out.write(b.body, at) - 1;
    at += out.write(HASH_KEY, at, 'latin1');
    at += out.write(b.record.hash, at, 'latin1');
    at += out.write('"}\n', at, 'latin1');
  }
  return out;
}

/** `Object.keys(o).length > 0` without building the array. */
function hasOwnKeys(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

/** sha256 of a value's JSON with object keys sorted, so equal arguments give equal digests. */
export function digestArgs(args: unknown): string {
  const ordered = inKeyOrder(args, 0);
  return sha256Hex(ordered === NOT_PLAIN ? (JSON.stringify(args, (_key, value: unknown) => sortKeys(value)) ?? 'undefined') : JSON.stringify(ordered));
}

/** What `inKeyOrder` returns for a value that is not plain JSON. */
const NOT_PLAIN = Symbol('not plain JSON');
const INTEGER_LIKE = /^\d+$/;

/**
 * The value with every object's keys in sorted order, so that one `JSON.stringify` writes it
 * canonically: objects already in order are kept as they are and only the others are copied (a
 * replacer would force V8's slow path and copy every object; building the text piece by piece made
 * a string per key and value). Only for plain JSON, what arrives on the wire: anything else
 * (toJSON, undefined, functions, non-finite numbers, class instances, integer-like keys, which an
 * object lists first whatever their order, and an own `__proto__`, which a copy drops) is
 * NOT_PLAIN and takes the replacer path, so the digest is the same either way.
 */
function inKeyOrder(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case 'object': {
      if (value === null) return value;
      if (depth > 64) return NOT_PLAIN;
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i += 1) {
          const item = inKeyOrder(value[i], depth + 1);
          if (item === NOT_PLAIN) return NOT_PLAIN;
          if (item !== value[i]) {
            copy ??= [...(value as unknown[])];
            copy[i] = item;
          }
        }
        return copy ?? value;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let ordered = true;
      for (let i = 0; i < keys.length; i += 1) {
        const key = keys[i]!;
        if (key === '__proto__' || INTEGER_LIKE.test(key)) return NOT_PLAIN;
        if (i > 0 && keys[i - 1]! > key) ordered = false;
      }
      if (!ordered) sortStrings(keys);
      let copy: Record<string, unknown> | undefined = ordered ? undefined : {};
      for (let i = 0; i < keys.length; i += 1) {
        const key = keys[i]!;
        const item = inKeyOrder(record[key], depth + 1);
        if (item === NOT_PLAIN) return NOT_PLAIN;
        if (copy === undefined && item !== record[key]) {
          copy = {};
          for (let j = 0; j < i; j += 1) copy[keys[j]!] = record[keys[j]!];
        }
        if (copy !== undefined) copy[key] = item;
      }
      return copy ?? value;
    }
    default:
      return NOT_PLAIN;
  }
}

/**
 * Sorts in place in `Array.prototype.sort`'s default order (UTF-16 code units). Objects on the wire
 * have a handful of keys: an insertion sort is quicker there and allocates nothing; longer lists
 * take the built-in sort.
 */
function sortStrings(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i += 1) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j -= 1;
    }
    keys[j + 1] = key;
  }
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}
