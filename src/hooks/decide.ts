import { resolve } from 'node:path';
import type { Policy } from '../config/policy-schema.js';
import { compilePolicy } from '../policy/compiled-policy.js';
import { decideAccess, toolIdentity } from '../policy/autonomy.js';
import type { Tier } from '../policy/levels.js';
import { inputString, type ToolEvent } from './hook-event.js';
import { judgeBash } from './bash.js';
import { mcpServerGoesThroughRea } from './mcp-routing.js';
import { FILE_TOOLS, NATIVE_SERVER, nativeTier } from './native-tools.js';
import { createPathJudge, type PathJudge } from './path-judge.js';
import { visitGlob } from './shell/glob.js';
import { TooManyNames } from './shell/bounds.js';
import { SCAN_EXEMPT_ATTRIBUTE } from '../git-gates/scan-exemptions.js';

/** What PreToolUse answers: deny and ask carry a reason for Claude and a stable code for the audit log. */
export type Decision =
  | { readonly kind: 'allow'; readonly tier: Tier; readonly detail?: Record<string, unknown> }
  | { readonly kind: 'ask'; readonly tier: Tier; readonly reason: string; readonly detail?: Record<string, unknown> }
  | { readonly kind: 'deny'; readonly tier: Tier; readonly code: string; readonly reason: string; readonly detail?: Record<string, unknown> };

export interface DecideContext {
  readonly root: string;
  readonly policy: Policy;
  readonly cacheDir: string | undefined;
  readonly home: string;
}

/** The checks after HALT: what the tool touches, then the policy's rules and the autonomy level. */
export async function decide(event: ToolEvent, ctx: DecideContext): Promise<Decision> {
  const { toolName } = event;
  if (toolName.startsWith('mcp__')) return decideMcp(event, ctx);
  const judge = createPathJudge(ctx.root, ctx.home, ctx.policy.blocked_paths);
  let tier = nativeTier(toolName);
  let destructive: readonly string[] = [];
  let detail: Record<string, unknown> | undefined;
  if (toolName === 'Bash') {
    const command = inputString(event, 'command');
    if (command === undefined) return { kind: 'deny', tier: 'write', code: 'malformed', reason: 'Bash was called without a command string' };
    const verdict = judgeBash(command, event.cwd ?? ctx.root, judge, ctx.cacheDir);
    if (verdict.kind === 'deny') return verdict;
    tier = verdict.tier;
    destructive = verdict.destructive;
    detail = { destructive: destructive.length > 0 ? destructive : undefined };
  } else if (FILE_TOOLS[toolName] !== undefined) {
    const refusal = await fileToolRefusal(event, judge);
    if (refusal !== undefined) return { ...refusal, tier };
  }
  const access = decideAccess(compilePolicy(ctx.policy), ctx.policy.autonomy_level, toolIdentity(NATIVE_SERVER, toolName), tier);
  if (access.kind === 'deny') {
    const why = destructive.length > 0 ? ` (${destructive.join('; ')})` : '';
    return { kind: 'deny', tier, code: access.code, reason: `${access.reason}${why}`, detail };
  }
  if (access.confirm) {
    const why = destructive.length > 0 ? destructive.join('; ') : `policy asks for confirmation of ${toolName}`;
    return { kind: 'ask', tier, reason: `rea: ${tier} action at autonomy ${ctx.policy.autonomy_level}: ${why}`, detail };
  }
  return { kind: 'allow', tier, detail };
}

function decideMcp(event: ToolEvent, ctx: DecideContext): Decision {
  const server = event.toolName.slice('mcp__'.length).split('__')[0] ?? '';
  if (mcpServerGoesThroughRea(ctx.root, server)) return { kind: 'allow', tier: 'read', detail: { governed_by: 'rea serve' } };
  if (ctx.policy.native.deny_ungoverned_mcp) {
    return { kind: 'deny', tier: 'write', code: 'ungoverned_mcp', reason: `MCP server "${server}" does not run through rea (native.deny_ungoverned_mcp); run \`rea init\` to wrap it` };
  }
  return { kind: 'allow', tier: 'read', detail: { governed_by: 'nobody' } };
}

type Refusal = { readonly kind: 'deny'; readonly code: string; readonly reason: string };

/** Read/Write/Edit/…: blocked paths for any access, governance files for writes, secrets in what is written. */
async function fileToolRefusal(event: ToolEvent, judge: PathJudge): Promise<Refusal | undefined> {
  const spec = FILE_TOOLS[event.toolName]!;
  const base = event.cwd ?? judge.root;
  for (const key of spec.keys) {
    const path = event.toolInput[key];
    if (path === undefined) continue;
    if (typeof path !== 'string') return { kind: 'deny', code: 'malformed', reason: `${event.toolName}: ${key} is not a string` };
    const blocked = judge.blocked(path, base);
    if (blocked !== undefined) return { kind: 'deny', code: 'blocked_path', reason: `${event.toolName}: ${blocked}` };
    if (spec.writes) {
      const governance = judge.governance(path, base);
      if (governance !== undefined) return { kind: 'deny', code: 'governance', reason: `${event.toolName}: ${governance}` };
    }
  }
  if (event.toolName === 'Grep') {
    const pattern = inputString(event, 'glob');
    if (pattern !== undefined) return grepGlobRefusal(pattern, resolve(base, inputString(event, 'path') ?? '.'), judge);
  }
  if (spec.writes && writtenTexts(event).some((t) => t.includes(SCAN_EXEMPT_ATTRIBUTE))) {
    return { kind: 'deny', code: 'governance', reason: `${event.toolName}: ${SCAN_EXEMPT_ATTRIBUTE} (the secret-scan exemption) is set by a human, not the agent` };
  }
  if (spec.writes) return writtenSecretRefusal(event);
  return undefined;
}

/**
 * Grep reads the files its glob names, hidden ones included (`glob: ".env*"` reads the secrets; a
 * glob without `/` matches at any depth, as ripgrep's does). Glob only lists names, like `ls`.
 */
function grepGlobRefusal(pattern: string, dir: string, judge: PathJudge): Refusal | undefined {
  const glob = pattern.includes('/') ? pattern.replace(/^\//, '') : `**/${pattern}`;
  let reason: string | undefined;
  try {
    visitGlob(glob, dir, { dot: true, braces: true }, (path) => (reason = judge.blocked(path, dir)) !== undefined);
  } catch (error) {
    if (error instanceof TooManyNames) return { kind: 'deny', code: 'unreadable', reason: `Grep: ${error.message}` };
    throw error;
  }
  return reason === undefined ? undefined : { kind: 'deny', code: 'blocked_path', reason: `Grep: ${reason}` };
}

/** Loaded only for writes: compiling the secret catalog costs a read or a Bash call nothing. */
async function writtenSecretRefusal(event: ToolEvent): Promise<Refusal | undefined> {
  const { MAX_SCANNED_BYTES, secretsIn } = await import('./written-secrets.js');
  const texts = writtenTexts(event);
  const size = texts.reduce((n, t) => n + t.length, 0);
  if (size > MAX_SCANNED_BYTES) return { kind: 'deny', code: 'too_large', reason: `${event.toolName}: more than ${MAX_SCANNED_BYTES} bytes to write; split it up` };
  const kinds = secretsIn(texts.join('\n'));
  if (kinds.length === 0) return undefined;
  return {
    kind: 'deny',
    code: 'secret',
    reason: `${event.toolName}: the content holds what looks like a secret (${kinds.join(', ')}); reference it from the environment (\`\${VAR}\`) or a placeholder instead`,
  };
}

/** The new text a write tool would put on disk. */
function writtenTexts(event: ToolEvent): string[] {
  const input = event.toolInput;
  const out: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === 'string'));
  };
  push(input['content']);
  push(input['new_string']);
  push(input['new_source']);
  if (Array.isArray(input['edits'])) for (const edit of input['edits']) push((edit as Record<string, unknown> | null)?.['new_string']);
  return out;
}
