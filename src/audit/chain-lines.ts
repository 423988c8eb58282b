/**
 * Turns a batch of inputs into the lines that extend the chain from the current tail. Pure: the
 * writer decides when the lines reach the disk.
 */
import { errorMessage } from '../errors.js';
import type { AuditInput, AuditRecord, BuiltRecord } from './record.js';
import { buildRecord, lineBytes, sha256Hex } from './record.js';

/** A record line above this size keeps a digest of its metadata instead of the metadata itself. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface ChainedLines {
  /** Every record built, in chain order (encodeLines turns them into the bytes to write). */
  readonly built: BuiltRecord[];
  readonly records: AuditRecord[];
  /** Hash and seq of the last line built (the tail's own when there were no inputs). */
  readonly hash: string;
  readonly seq: number;
}

/** Chains `inputs` after `tail` (an empty log when undefined). */
export function chainLines(
  tail: { readonly hash: string; readonly seq: number } | undefined,
  inputs: readonly AuditInput[],
  sessionId: string,
): ChainedLines {
  let hash = tail?.hash ?? '';
  let seq = tail?.seq ?? -1;
  const all: BuiltRecord[] = [];
  const records: AuditRecord[] = [];
  for (const input of inputs) {
    seq += 1;
    const built = buildSafely(input, hash, seq, sessionId);
    all.push(built);
    records.push(built.record);
    hash = built.record.hash;
  }
  return { built: all, records, hash, seq };
}

/**
 * One bad input must not fail the batch it shares with others: unserialisable metadata (a BigInt,
 * a cycle) and oversized metadata are replaced by a note saying so; the record itself is kept.
 */
function buildSafely(input: AuditInput, prevHash: string, seq: number, sessionId: string): BuiltRecord {
  let built: BuiltRecord;
  try {
    built = buildRecord(input, prevHash, seq, sessionId);
  } catch (error) {
    return buildRecord({ ...input, metadata: { metadata_unserializable: errorMessage(error) } }, prevHash, seq, sessionId);
  }
  if (lineBytes(built) <= MAX_RECORD_BYTES || input.metadata === undefined) return built;
  const json = JSON.stringify(input.metadata);
  const replaced = { metadata_truncated: true, metadata_bytes: Buffer.byteLength(json), metadata_sha256: sha256Hex(json) };
  return buildRecord({ ...input, metadata: replaced }, prevHash, seq, sessionId);
}
