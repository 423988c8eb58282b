import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditLog, loadPrivateKey, projectKeyPaths, type AuditInput, type AuditLogOptions } from '../../audit/index.js';
import type { Redactor, StringRedaction } from '../../scan/redactor.js';
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
 * Most of what it reads repeats on every call (the tool name, rea's own metadata keys and values),
 * so the verdict on a short string is remembered per redactor; a record with anything to redact
 * goes through the redactor in full, so the result is the same as without the memo.
 */
export function recordScrubber(redactor: () => Redactor): (input: AuditInput) => AuditInput {
  const memo = new WeakMap<Redactor, Map<string, StringRedaction>>();
  return (input) => {
    const r = redactor();
    let seen = memo.get(r);
    if (seen === undefined) memo.set(r, (seen = new Map()));
    const toolName = redactShort(r, seen, input.tool_name);
    const error = input.error === undefined ? undefined : r.redactString(input.error);
    const metadataClean = input.metadata === undefined || nothingToRedact(r, seen, input.metadata, 0);
    const metadata = metadataClean ? undefined : r.redactValue(input.metadata, 'metadata');
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

/** Strings up to this length are remembered; at most this many per redactor (then it starts over). */
const MEMO_MAX_CHARS = 256;
const MEMO_MAX_ENTRIES = 4096;
/** Deeper metadata than this is left to the redactor itself. */
const MEMO_MAX_DEPTH = 16;

function redactShort(r: Redactor, seen: Map<string, StringRedaction>, text: string): StringRedaction {
  if (text.length > MEMO_MAX_CHARS) return r.redactString(text);
  let verdict = seen.get(text);
  if (verdict === undefined) {
    verdict = r.redactString(text);
    // A timed-out scan depends on the moment, not the text: never remembered.
    if (verdict.timedOutPattern === undefined) {
      if (seen.size >= MEMO_MAX_ENTRIES) seen.clear();
      seen.set(text, verdict);
    }
  }
  return verdict;
}

/** True when redactValue would hand `node` back unchanged: no string in it, key or value, has a match. */
function nothingToRedact(r: Redactor, seen: Map<string, StringRedaction>, node: unknown, depth: number): boolean {
  if (typeof node === 'string') {
    const verdict = redactShort(r, seen, node);
    return verdict.patterns.length === 0 && verdict.value === node;
  }
  if (node === null || typeof node !== 'object') return true;
  if (depth > MEMO_MAX_DEPTH) return false;
  if (Array.isArray(node)) return node.every((item) => nothingToRedact(r, seen, item, depth + 1));
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    // The redactor renames a key holding a secret: any key with a match sends the record to it.
    if (!nothingToRedact(r, seen, key, depth + 1)) return false;
    if (!nothingToRedact(r, seen, (node as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
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
