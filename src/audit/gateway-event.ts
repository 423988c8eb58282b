import type { AuditLog } from './log-writer.js';
import type { AuditStatus } from './record.js';

/** Something the gateway did that belongs in the audit log (start, restart, circuit change, …). */
export interface GatewayEvent {
  /** `start` becomes `rea.gateway.start`; a name already starting with `rea.` is kept. */
  readonly event: string;
  readonly server?: string;
  readonly status?: AuditStatus;
  readonly detail?: Record<string, unknown>;
}

/**
 * Records a gateway event (start/stop, HALT, policy reload, restart, circuit change, TOFU
 * decision, …) as a `phase: event` record of server `rea`. Never throws: a failed write is counted
 * by the log and recorded once it recovers.
 */
export async function recordEvent(auditLog: AuditLog | undefined, event: GatewayEvent): Promise<boolean> {
  if (auditLog === undefined) return false;
  try {
    await auditLog.append({
      tool_name: event.event.startsWith('rea.') ? event.event : `rea.gateway.${event.event}`,
      server_name: 'rea',
      tier: 'read',
      status: event.status ?? 'allowed',
      autonomy_level: 'system',
      phase: 'event',
      metadata: { ...(event.server ? { server: event.server } : {}), ...event.detail },
    });
    return true;
  } catch {
    // Already counted, logged and queued for the failure note by the writer.
    return false;
  }
}
