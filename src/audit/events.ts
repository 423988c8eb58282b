/** Inputs for the records the audit machinery writes about itself (server `rea`, phase `event`). */
import type { AuditInput, AuditStatus } from './record.js';

/** rea 0.4's rotation marker name; kept so its verifier and tools recognise our markers. */
export const ROTATION_TOOL_NAME = 'audit.rotation';
export const RECOVERY_TOOL_NAME = 'rea.audit.recovery';
export const WRITE_FAILED_TOOL_NAME = 'rea.audit.write_failed';
export const CHECKPOINT_TOOL_NAME = 'rea.audit.checkpoint';
export const RETENTION_TOOL_NAME = 'rea.audit.retention';

export function systemEvent(toolName: string, metadata: Record<string, unknown>, status: AuditStatus = 'allowed'): AuditInput {
  return {
    tool_name: toolName,
    server_name: 'rea',
    session_id: 'system',
    tier: 'read',
    status,
    autonomy_level: 'system',
    duration_ms: 0,
    metadata,
    phase: 'event',
  };
}
