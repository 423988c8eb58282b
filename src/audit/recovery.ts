/**
 * Crash recovery of the tail, run under the append lock. A torn last line (crash mid-write) is
 * moved aside as evidence, never silently dropped; a complete but bad last line stays in place and
 * the chain continues from it (its stored hash, or the hash of its bytes), never from zeros.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditInput } from './record.js';
import { sha256Hex } from './record.js';
import { RECOVERY_TOOL_NAME, systemEvent } from './events.js';
import type { TailCondition } from './tail-state.js';

/** Copies `[from, size)` to `<dir>/audit.torn-<time>`, fsyncs it, then truncates the log at `from`. */
export async function setTornTailAside(fh: FileHandle, auditPath: string, from: number, size: number): Promise<AuditInput> {
  const bytes = Buffer.alloc(size - from);
  await fh.read(bytes, 0, bytes.length, from);
  const evidence = await writeEvidence(dirname(auditPath), bytes);
  await fh.truncate(from);
  await fh.sync();
  return systemEvent(
    RECOVERY_TOOL_NAME,
    {
      reason: 'torn_tail',
      file: basename(auditPath),
      offset: from,
      torn_bytes: bytes.length,
      torn_sha256: sha256Hex(bytes),
      evidence_file: basename(evidence),
    },
    'error',
  );
}

async function writeEvidence(dir: string, bytes: Buffer): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  for (let n = 0; ; n += 1) {
    const path = join(dir, n === 0 ? `audit.torn-${stamp}` : `audit.torn-${stamp}-${n}`);
    try {
      const out = await open(path, 'wx', 0o600);
      try {
        await out.writeFile(bytes);
        await out.sync();
      } finally {
        await out.close();
      }
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The recovery record for a bad (complete) last line, or undefined when the tail is fine. */
export function badTailNote(condition: TailCondition, auditPath: string): AuditInput | undefined {
  switch (condition.kind) {
    case 'empty':
    case 'ok':
      return undefined;
    case 'mismatch':
      return systemEvent(
        RECOVERY_TOOL_NAME,
        {
          reason: 'tail_hash_mismatch',
          file: basename(auditPath),
          offset: condition.offset,
          stored_hash: condition.hash,
          computed_hash: condition.computed,
          continued_from: 'the stored hash of the last line',
        },
        'error',
      );
    case 'unparseable':
      return systemEvent(
        RECOVERY_TOOL_NAME,
        {
          reason: 'tail_unparseable',
          file: basename(auditPath),
          offset: condition.offset,
          bytes: condition.length,
          detail: condition.detail,
          continued_from: 'sha256 of the last line bytes',
        },
        'error',
      );
    default: {
      const never: never = condition;
      return never;
    }
  }
}

/** The chain's file vanished or shrank under us: say so, and keep chaining from what we knew. */
export function externalChangeNote(auditPath: string, what: 'missing' | 'truncated', knownSize: number, actualSize: number, lastHash: string): AuditInput {
  return systemEvent(
    RECOVERY_TOOL_NAME,
    { reason: what === 'missing' ? 'log_missing' : 'log_truncated', file: basename(auditPath), expected_size: knownSize, actual_size: actualSize, continued_from: lastHash },
    'error',
  );
}
