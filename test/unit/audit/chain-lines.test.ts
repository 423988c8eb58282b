import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, chainLines } from '../../../src/audit/chain-lines.js';
import { recordLine } from '../../../src/audit/record.js';
import type { AuditInput } from '../../../src/audit/record.js';

const input = (pad: string): AuditInput => ({ timestamp: '2026-12-05T07:00:00.000Z', tool_name: 't', server_name: 's', metadata: { pad } });
const lineOf = (pad: string): string => recordLine(chainLines(undefined, [input(pad)], 'session').built[0]!);

describe('chainLines', () => {
  it('keeps metadata whose line is exactly MAX_RECORD_BYTES long, and digests it one character past', () => {
    const fill = MAX_RECORD_BYTES - lineOf('').length;
    const atLimit = chainLines(undefined, [input('a'.repeat(fill))], 'session');
    expect(recordLine(atLimit.built[0]!)).toHaveLength(MAX_RECORD_BYTES);
    expect(atLimit.records[0]!.metadata).toEqual({ pad: 'a'.repeat(fill) });

    const over = chainLines(undefined, [input('a'.repeat(fill + 1))], 'session').records[0]!;
    expect(over.metadata).toMatchObject({ metadata_truncated: true, metadata_bytes: fill + 1 + '{"pad":""}'.length });
  });

  it('counts the line in bytes: multi-byte metadata under the limit in characters but over it in bytes is digested', () => {
    // Three bytes per character: a third of the limit in characters is already past it in bytes.
    const pad = '€'.repeat(Math.ceil(MAX_RECORD_BYTES / 3));
    const record = chainLines(undefined, [input(pad)], 'session').records[0]!;
    expect(lineOf(pad).length).toBeLessThan(MAX_RECORD_BYTES);
    expect(record.metadata).toMatchObject({ metadata_truncated: true, metadata_bytes: Buffer.byteLength(JSON.stringify({ pad })) });
  });

  it('chains each record to the one before, from the tail it is given', () => {
    const first = chainLines(undefined, [input('x'), input('y')], 'session');
    const next = chainLines({ hash: first.hash, seq: first.seq }, [input('z')], 'session');
    expect(first.records.map((r) => r.seq)).toEqual([0, 1]);
    expect(first.records[1]!.prev_hash).toBe(first.records[0]!.hash);
    expect(next.records[0]).toMatchObject({ seq: 2, prev_hash: first.records[1]!.hash });
  });
});
