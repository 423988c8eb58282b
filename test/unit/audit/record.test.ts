import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { buildRecord, GENESIS_HASH, recordLine } from '../../../src/audit/index.js';
import { encodeLines } from '../../../src/audit/record.js';
import type { AuditInput } from '../../../src/audit/index.js';

/** The record as rea 0.4 and the verifier define it: only the keys present, in this order, hash last. */
const ORDER = ['timestamp', 'session_id', 'tool_name', 'server_name', 'tier', 'status', 'autonomy_level', 'duration_ms', 'prev_hash', 'error', 'redacted_fields', 'metadata', 'seq', 'call_id', 'phase', 'surface', 'args_digest', 'deny_stage', 'deny_code'] as const;

function expectedLine(input: AuditInput, prevHash: string, seq: number): string {
  const full: Record<string, unknown> = {
    timestamp: input.timestamp,
    session_id: input.session_id ?? 'default-session',
    tool_name: input.tool_name,
    server_name: input.server_name,
    tier: input.tier ?? 'read',
    status: input.status ?? 'allowed',
    autonomy_level: input.autonomy_level ?? 'unknown',
    duration_ms: input.duration_ms ?? 0,
    prev_hash: prevHash,
    error: input.error,
    redacted_fields: input.redacted_fields?.length ? [...input.redacted_fields] : undefined,
    metadata: input.metadata && Object.keys(input.metadata).length > 0 ? input.metadata : undefined,
    seq,
    call_id: input.call_id,
    phase: input.phase,
    surface: input.surface,
    args_digest: input.args_digest,
    deny_stage: input.deny_stage,
    deny_code: input.deny_code,
  };
  const body: Record<string, unknown> = {};
  for (const key of ORDER) if (full[key] !== undefined) body[key] = full[key];
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return JSON.stringify({ ...body, hash });
}

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const text = fc.string({ unit: 'binary', maxLength: 12 });

const inputs: fc.Arbitrary<AuditInput> = fc.record({
  timestamp: fc.constant('2026-12-05T04:00:00.000Z'),
  tool_name: text,
  server_name: text,
  session_id: optional(text),
  tier: optional(fc.constantFrom('read' as const, 'write' as const, 'destructive' as const)),
  status: optional(fc.constantFrom('allowed' as const, 'denied' as const, 'error' as const)),
  autonomy_level: optional(text),
  duration_ms: optional(fc.nat()),
  error: optional(text),
  redacted_fields: optional(fc.array(text, { maxLength: 3 })),
  metadata: optional(fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 3 })),
  call_id: optional(text),
  phase: optional(fc.constantFrom('intent' as const, 'outcome' as const, 'event' as const)),
  surface: optional(text),
  args_digest: optional(text),
  deny_stage: optional(text),
  deny_code: optional(text),
});

describe('buildRecord', () => {
  it('writes only the keys present, in rea 0.4 order with ours after, and hashes the line without its hash', () => {
    fc.assert(
      fc.property(inputs, fc.nat({ max: 1_000_000 }), (input, seq) => {
        const built = buildRecord(input, GENESIS_HASH, seq, 'default-session');
        const line = recordLine(built);
        expect(line).toBe(expectedLine(input, GENESIS_HASH, seq));
        expect(JSON.stringify(built.record)).toBe(line);
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('leaves out an empty metadata object and an empty redacted_fields list', () => {
    const line = recordLine(buildRecord({ timestamp: 't', tool_name: 'x', server_name: 'y', metadata: {}, redacted_fields: [] }, GENESIS_HASH, 0, 's'));
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['timestamp', 'session_id', 'tool_name', 'server_name', 'tier', 'status', 'autonomy_level', 'duration_ms', 'prev_hash', 'seq', 'hash']);
  });
});

describe('encodeLines', () => {
  it('is the UTF-8 of each record line followed by a newline, for any text (multi-byte included)', () => {
    fc.assert(
      fc.property(fc.array(inputs, { minLength: 1, maxLength: 5 }), (batch) => {
        const built = batch.map((input, seq) => buildRecord(input, GENESIS_HASH, seq, 's'));
        const expected = built.map((b) => `${JSON.stringify(b.record)}\n`).join('');
        const bytes = encodeLines(built);
        expect(bytes.toString('utf8')).toBe(expected);
        expect(bytes.length).toBe(Buffer.byteLength(expected));
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});
