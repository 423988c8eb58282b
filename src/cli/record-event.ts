import type { ReaPaths } from '../config/project-paths.js';
import { appendAuditRecord } from '../audit/index.js';
import { errorMessage } from '../errors.js';

/**
 * Record an operator action (freeze, unfreeze, …) in the project's audit chain, through the same
 * lock as the gateway. A failure to record is reported, not hidden; the action itself stands.
 */
export async function recordCliEvent(paths: ReaPaths, event: string, metadata: Record<string, unknown>): Promise<void> {
  try {
    await appendAuditRecord(paths.audit, {
      tool_name: event,
      server_name: 'rea',
      tier: 'read',
      status: 'allowed',
      autonomy_level: 'system',
      phase: 'event',
      session_id: 'cli',
      metadata: { ...metadata, user: process.env['USER'] ?? null },
    });
  } catch (error) {
    process.stderr.write(`rea: ${event} was not recorded in ${paths.audit}: ${errorMessage(error)}\n`);
  }
}
