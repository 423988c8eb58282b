import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AuditLine {
  timestamp: string;
  session_id: string;
  tool_name: string;
  server_name: string;
  tier: string;
  status: 'allowed' | 'denied' | 'error';
  autonomy_level: string;
  duration_ms: number;
  prev_hash: string;
  hash: string;
  error?: string;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Every record in `<root>/.rea/audit.jsonl`, parsed. */
export function readAudit(root: string): AuditLine[] {
  const file = join(root, '.rea', 'audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditLine);
}

/** Outcome records of tool calls (not gateway events, not intents). */
export function callRecords(root: string): AuditLine[] {
  return readAudit(root).filter((r) => r['phase'] !== 'intent' && r['phase'] !== 'event' && r.server_name !== 'rea');
}
