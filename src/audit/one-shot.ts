/**
 * One-shot append for hooks and other parts of rea: same file, same lock, same chain as the
 * gateway. In a process that already has the log open, the record joins that writer's queue.
 */
import { basename, join } from 'node:path';
import type { AuditInput, AuditRecord } from './record.js';
import { AuditLog } from './log-writer.js';
import type { AuditLogOptions } from './log-options.js';

/**
 * `target` is the audit file (`….jsonl`), the `.rea` directory, or the project root. Resolves
 * once the record is durable; rejects with ReaError AUDIT_WRITE_FAILED when it cannot be written.
 */
export async function appendAuditRecord(
  target: string,
  input: AuditInput,
  options: Partial<AuditLogOptions> = {},
): Promise<AuditRecord> {
  const path = resolveAuditPath(target);
  const open = AuditLog.find(path);
  if (open !== undefined) return open.append(input);
  const log = await AuditLog.open(path, { sessionId: 'external', ...options });
  try {
    return await log.append(input);
  } finally {
    await log.close();
  }
}

export function resolveAuditPath(target: string): string {
  if (target.endsWith('.jsonl')) return target;
  if (basename(target) === '.rea') return join(target, 'audit.jsonl');
  return join(target, '.rea', 'audit.jsonl');
}
