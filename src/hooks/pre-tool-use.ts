import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { readHalt } from '../chain/halt-file.js';
import { reaPaths } from '../config/project-paths.js';
import type { Policy } from '../config/policy-schema.js';
import type { ToolEvent } from './hook-event.js';
import { cacheDirOf, loadHookPolicy } from './hook-policy.js';
import { rememberDecision } from './call-memory.js';
import { loadGlobCache, saveGlobCache } from './glob-cache.js';
import { decide, type Decision } from './decide.js';
import { baseRecord, refuse, runHook } from './hook-runner.js';

/**
 * PreToolUse: HALT, then what the tool would touch, then the policy (see decide.ts). A denial is
 * exit 2 with the reason on stderr and a record in the audit chain; `ask` is Claude Code's own
 * prompt to the human; an allowed call gets no output, so Claude Code's permission prompts still apply.
 */
export const runPreToolUse = (): Promise<number> => runHook('PreToolUse', preToolUse);

async function preToolUse(event: ToolEvent, root: string): Promise<number> {
  const started = Date.now();
  const halt = readHalt(reaPaths(root).halt);
  const loaded = await loadHookPolicy(root);
  if (halt.kind !== 'absent') {
    const reason = halt.kind === 'present' ? `HALT is active: ${halt.reason}` : `HALT cannot be checked (${halt.code})`;
    const policy = loaded.kind === 'ok' ? loaded.policy : undefined;
    return deny(event, root, policy, { kind: 'deny', tier: 'read', code: 'halt', reason }, started);
  }
  if (loaded.kind === 'unusable') return deny(event, root, undefined, { kind: 'deny', tier: 'read', code: 'policy_invalid', reason: loaded.reason }, started);
  if (loaded.note !== undefined) process.stderr.write(`rea: ${loaded.note}\n`);
  const unwritable = loaded.policy.audit.on_failure === 'deny' ? auditUnwritable(root) : undefined;
  if (unwritable !== undefined) {
    return refuse(`Denied by rea: the audit log cannot be written (${unwritable}), and rea does not let through what it cannot record (audit.on_failure: deny)`);
  }
  const cacheDir = cacheDirOf(root);
  const knownGlobs = loadGlobCache(cacheDir);
  const decision = await decide(event, { root, policy: loaded.policy, cacheDir, home: homedir() });
  saveGlobCache(cacheDir, knownGlobs);
  if (decision.kind === 'deny') return deny(event, root, loaded.policy, decision, started);
  rememberDecision(cacheDir, event, decision);
  if (decision.kind === 'ask') {
    // The human may decline, and then no PostToolUse comes: the question itself is evidence.
    await recordIntent(event, root, loaded.policy, decision);
    process.stdout.write(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: decision.reason } })}\n`);
  }
  return 0;
}

/**
 * An allowed call is recorded after it ran (PostToolUse): check now that the record can be written
 * (the lock beside `.rea/`, the directory, the log), or the call would run unrecorded.
 */
function auditUnwritable(root: string): string | undefined {
  const paths = reaPaths(root);
  for (const path of [root, paths.dir, paths.audit]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && path !== root) continue;
      return `${code ?? 'error'} on ${path}`;
    }
  }
  return undefined;
}

async function recordIntent(event: ToolEvent, root: string, policy: Policy, decision: Extract<Decision, { kind: 'ask' }>): Promise<void> {
  const { redact } = await import('./redact-metadata.js');
  const { appendNativeRecord } = await import('./hook-audit.js');
  const record = await appendNativeRecord(root, policy, {
    ...baseRecord(event, policy, decision.tier, { ...redact(event, policy), decision: 'ask', reason: decision.reason }),
    phase: 'intent',
    status: 'allowed',
  });
  if (!record.written) process.stderr.write(`rea: ${record.error}\n`);
}

async function deny(event: ToolEvent, root: string, policy: Policy | undefined, decision: Extract<Decision, { kind: 'deny' }>, started: number): Promise<number> {
  let note = '';
  if (policy !== undefined) {
    const { redact, redactText } = await import('./redact-metadata.js');
    const { appendNativeRecord } = await import('./hook-audit.js');
    const record = await appendNativeRecord(root, policy, {
      ...baseRecord(event, policy, decision.tier, redact(event, policy)),
      status: 'denied',
      deny_stage: 'hook',
      deny_code: decision.code,
      error: redactText(decision.reason, policy),
      duration_ms: Date.now() - started,
    });
    if (!record.written) note = ` (audit: ${record.error})`;
  }
  return refuse(`Denied by rea: ${decision.reason}${note}`);
}
