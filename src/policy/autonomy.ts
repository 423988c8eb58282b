import type { CompiledPolicy } from './compiled-policy.js';
import type { AutonomyLevel, Tier } from './levels.js';
import { qualify } from './qualified-name.js';

/** Who is asking, as the policy sees it. */
export interface ToolIdentity {
  readonly server: string;
  /** Un-prefixed tool name: what `servers.<name>.allow/deny` globs match. */
  readonly tool: string;
  /** `<server>__<tool>`: what `tools[].match` globs match. */
  readonly exposedName: string;
}

/**
 * The identity policy rules see: always `<server>__<tool>`, whatever name the agent sees (in wrap
 * mode it sees the bare tool name), so one policy means the same thing in both modes.
 */
export function toolIdentity(server: string, tool: string): ToolIdentity {
  return { server, tool, exposedName: qualify(server, tool) };
}

export type AccessDecision =
  | { readonly kind: 'allow'; readonly confirm: boolean }
  | { readonly kind: 'deny'; readonly code: 'tier' | 'policy'; readonly reason: string; readonly message: string };

/** Lowest level that may run each tier at all (L2 asks the user before destructive calls). */
const LEVEL_FOR: Record<Tier, AutonomyLevel> = { read: 'L0', write: 'L1', destructive: 'L2' };
const RANK: Record<AutonomyLevel, number> = { L0: 0, L1: 1, L2: 2, L3: 3 };

/** Short messages say which rule class refused, never how to get around it (THREAT_MODEL.md T1). */
export const NOT_ALLOWED_MESSAGE = 'tool not allowed by policy';

/** Why the policy refuses this tool outright, whatever the level, or undefined. */
function policyRefusal(compiled: CompiledPolicy, id: ToolIdentity): string | undefined {
  for (const rule of compiled.toolRules) {
    if (rule.deny && rule.isMatch(id.exposedName)) return `${id.exposedName} matches a \`tools\` deny rule`;
  }
  const server = compiled.servers.get(id.server);
  if (server?.deny?.(id.tool)) return `${id.exposedName} matches \`servers.${id.server}.deny\``;
  if (server?.allow && !server.allow(id.tool)) return `${id.exposedName} is not in \`servers.${id.server}.allow\``;
  return undefined;
}

/**
 * What the server lists and `tools` rules mean beyond tool calls (review finding 12). Prompts are
 * named like tools (`<server>__<prompt>`), so the same globs and deny rules match them. Resources,
 * completions on resource templates, and a server's sampling and elicitation requests have no such
 * name: they are refused only when the server is allowed nothing (`allow: []`).
 */
export function itemRefusal(compiled: CompiledPolicy, server: string, kind: 'prompt' | 'other', name: string): string | undefined {
  if (kind === 'prompt') return policyRefusal(compiled, toolIdentity(server, name));
  return compiled.servers.get(server)?.allowsNothing ? `\`servers.${server}.allow\` is empty: server "${server}" is allowed nothing` : undefined;
}

/** A tool the policy denies outright is also left out of tools/list (THREAT_MODEL.md T1). */
export function isHiddenFromList(compiled: CompiledPolicy, id: ToolIdentity): boolean {
  return policyRefusal(compiled, id) !== undefined;
}

/**
 * May this call run at this level, and must the user confirm it first? L0 reads; L1 also writes; L2
 * also runs destructive tools, each confirmed unless a `tools` allow rule pre-approves it; L3 runs
 * whatever the rules allow. Deny rules and allowlists apply at every level.
 */
export function decideAccess(compiled: CompiledPolicy, level: AutonomyLevel, id: ToolIdentity, tier: Tier): AccessDecision {
  const refusal = policyRefusal(compiled, id);
  if (refusal !== undefined) return { kind: 'deny', code: 'policy', reason: refusal, message: NOT_ALLOWED_MESSAGE };
  const needed = LEVEL_FOR[tier];
  if (RANK[level] < RANK[needed]) {
    return {
      kind: 'deny',
      code: 'tier',
      reason: `${tier} tool ${id.exposedName} at autonomy ${level} (needs ${needed})`,
      message: `${tier} tier needs ${needed}`,
    };
  }
  let preApproved = false;
  let forced = false;
  for (const rule of compiled.toolRules) {
    if ((rule.allow || rule.confirm) && rule.isMatch(id.exposedName)) {
      preApproved ||= rule.allow;
      forced ||= rule.confirm;
    }
  }
  const confirm = forced || (tier === 'destructive' && level === 'L2' && !preApproved);
  return { kind: 'allow', confirm };
}
