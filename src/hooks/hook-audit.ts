import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { Policy } from '../config/policy-schema.js';
import { reaPaths } from '../config/project-paths.js';
import type { AuditInput } from '../audit/record.js';
import { ensureDir } from './hook-policy.js';

/**
 * A native call's record goes into the project's audit chain through the gateway's own writer and
 * lock (audit/one-shot.ts). When the lock does not come free within the policy's
 * `audit.write_timeout_ms` the record is not dropped: it waits in `.rea/spool/` and the next hook
 * (or this one, next time) appends it first, in order.
 */
export async function appendNativeRecord(root: string, policy: Policy, input: AuditInput): Promise<{ written: boolean; error?: string }> {
  const { appendAuditRecord } = await import('../audit/one-shot.js');
  const options = { durability: policy.audit.durability, writeTimeoutMs: policy.audit.write_timeout_ms, sessionId: input.session_id ?? 'claude-code' };
  const spool = join(reaPaths(root).dir, 'spool');
  try {
    for (const file of spooled(spool)) {
      await appendAuditRecord(root, JSON.parse(readFileSync(join(spool, file), 'utf8')) as AuditInput, options);
      unlinkSync(join(spool, file));
    }
    await appendAuditRecord(root, input, options);
    return { written: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      ensureDir(spool);
      const name = `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json`;
      writeFileAtomic(join(spool, name), JSON.stringify({ ...input, timestamp: input.timestamp ?? new Date().toISOString() }));
    } catch (spoolError) {
      return { written: false, error: `${message}; and it could not be kept for later: ${(spoolError as Error).message}` };
    }
    return { written: false, error: `${message} (kept in .rea/spool/ for the next hook to append)` };
  }
}

function spooled(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
}
