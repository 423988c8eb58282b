import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditLog, loadPrivateKey, projectKeyPaths, type AuditInput, type AuditLogOptions } from '../../audit/index.js';
import type { Redactor } from '../../scan/redactor.js';
import { isInside } from '../../audit/keys.js';
import { ConfigError } from '../../errors.js';
import { recordEvent, type GatewayEvent } from '../../audit/gateway-event.js';
import type { Policy } from '../../config/policy-schema.js';
import type { ReaPaths } from '../../config/project-paths.js';
import type { AuditState } from '../../observability/serve-state.js';
import { refusalRecord, type Refusal } from '../../chain/call-records.js';

const LOCK_STALE_MS = 3_000;

/**
 * Redacts what a record carries from outside rea: names and URIs the agent supplied, error and
 * denial text, event details (a child's last stderr line). Ids, digests and hashes are rea's own.
 */
export function recordScrubber(redactor: () => Redactor): (input: AuditInput) => AuditInput {
  return (input) => {
    const r = redactor();
    const toolName = r.redactString(input.tool_name);
    const error = input.error === undefined ? undefined : r.redactString(input.error);
    const metadata = input.metadata === undefined ? undefined : r.redactValue(input.metadata, 'metadata');
    const changed = toolName.patterns.length > 0 || (error?.patterns.length ?? 0) > 0 || (metadata !== undefined && metadata.value !== input.metadata);
    if (!changed) return input;
    return {
      ...input,
      tool_name: toolName.value,
      ...(error === undefined ? {} : { error: error.value }),
      ...(metadata === undefined ? {} : { metadata: metadata.value }),
    };
  };
}

/** The audit log's options as the policy's `audit` section says (re-applied on every policy reload). */
export function auditOptionsFrom(policy: Policy, sessionId: string, key: KeyObject | undefined, scrub?: (input: AuditInput) => AuditInput): AuditLogOptions {
  const a = policy.audit;
  return {
    sessionId,
    ...(scrub ? { scrub } : {}),
    // Our holds last milliseconds (the writer refreshes the lock while it holds it), so a lock
    // untouched for 3 s was left by a killed process: reclaim it sooner than rea 0.4's 10 s.
    lockStaleMs: LOCK_STALE_MS,
    durability: a.durability,
    onFailure: a.on_failure,
    ...(a.write_timeout_ms ? { writeTimeoutMs: a.write_timeout_ms } : {}),
    ...(a.rotation
      ? { rotation: { maxBytes: a.rotation.max_bytes ?? 50 * 1024 * 1024, maxAgeDays: a.rotation.max_age_days ?? 30, ...(a.rotation.retain ? { retain: a.rotation.retain } : {}) } }
      : {}),
    ...(key
      ? {
          checkpoint: {
            key,
            ...(a.checkpoint?.every_records ? { everyRecords: a.checkpoint.every_records } : {}),
            ...(a.checkpoint?.every_seconds ? { everyMs: a.checkpoint.every_seconds * 1000 } : {}),
          },
        }
      : {}),
  };
}

/**
 * The checkpoint signing key: the policy's `audit.checkpoint.private_key`, else the key
 * `rea audit keygen` made for this project (kept outside the project, THREAT_MODEL.md audit).
 */
async function checkpointKey(policy: Policy, paths: ReaPaths): Promise<KeyObject | undefined> {
  const configured = policy.audit.checkpoint?.private_key;
  if (configured) {
    const file = resolve(paths.root, configured.startsWith('~/') ? join(homedir(), configured.slice(2)) : configured);
    // A key the agent's tools could read signs nothing an attacker could not sign too (THREAT_MODEL.md T11).
    if (isInside(paths.root, file)) {
      throw new ConfigError(paths.policy, undefined, 'audit.checkpoint.private_key', `must be outside the project (${file} is inside ${paths.root}); create one with \`rea audit keygen\``);
    }
    return loadPrivateKey(file);
  }
  const fallback = projectKeyPaths(paths.root).privateKey;
  return existsSync(fallback) ? loadPrivateKey(fallback) : undefined;
}

export async function openAuditLog(
  paths: ReaPaths,
  policy: Policy,
  sessionId: string,
  scrub?: (input: AuditInput) => AuditInput,
): Promise<{ log: AuditLog; key: KeyObject | undefined }> {
  const key = await checkpointKey(policy, paths);
  return { log: await AuditLog.open(paths.audit, auditOptionsFrom(policy, sessionId, key, scrub)), key };
}

/** Gateway events become audit records (`rea.*` tool names, server `rea`). */
export function eventRecorder(getLog: () => AuditLog | undefined): (event: GatewayEvent) => Promise<boolean> {
  return (event) => recordEvent(getLog(), event);
}

/** Audit health for `rea status`: counts and the last failure, never record contents. */
export function auditStatus(log: AuditLog): AuditState {
  const stats = log.getStats();
  return {
    path: stats.path,
    appended: stats.appended,
    failures: stats.failures,
    pending_failure_notes: stats.pendingFailureNotes,
    head_seq: stats.headSeq,
    last_error: stats.lastError ?? null,
  };
}

/**
 * A request refused before the chain ran still gets its one outcome record (issue 4: an unknown
 * tool is recorded like any denial). Only a digest of the arguments is kept.
 */
export function refusalRecorder(getLog: () => AuditLog | undefined, autonomy: () => string): (refusal: Refusal) => Promise<void> {
  return async (refusal) => {
    const log = getLog();
    if (!log) return;
    await log
      .append(refusalRecord(refusal, randomUUID(), autonomy()))
      .catch(() => {
        // Counted, logged and noted by the writer; the agent gets its error either way.
      });
  };
}
