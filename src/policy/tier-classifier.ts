import type { CompiledPolicy } from './compiled-policy.js';
import { ruleTier } from './compiled-policy.js';
import { maxTier, type Tier } from './levels.js';
import { tierFromName } from './tier-names.js';

/** Registry `tier_overrides` of one server: un-prefixed tool name → tier. */
export type TierOverrides = Readonly<Record<string, Tier>>;

export interface TierInput {
  /** Un-prefixed tool name. */
  readonly tool: string;
  /** `<server>__<tool>`: what policy `tools` globs match. */
  readonly exposedName: string;
  readonly hints: { readonly readOnlyHint?: boolean; readonly destructiveHint?: boolean };
}

export type TierSource = 'policy' | 'registry' | 'name' | 'annotation';

export interface TierResult {
  readonly tier: Tier;
  readonly source: TierSource;
}

/** Tier implied by MCP tool annotations, or undefined when they say nothing (MCP spec, ToolAnnotations). */
export function tierFromHints(hints: TierInput['hints']): Tier | undefined {
  if (hints.destructiveHint === true) return 'destructive';
  if (hints.readOnlyHint === false) return 'write';
  if (hints.readOnlyHint === true) return 'read';
  return undefined;
}

/**
 * Decide a tool's tier (THREAT_MODEL.md T1): an operator's explicit word first (policy `tools` rule,
 * then registry `tier_overrides`); otherwise the more cautious of name and annotations. Annotations
 * come from the downstream, which we do not trust, so they may raise the tier but never lower it.
 */
export function classifyTier(input: TierInput, compiled: CompiledPolicy, overrides: TierOverrides | undefined): TierResult {
  const fromPolicy = ruleTier(compiled, input.exposedName);
  if (fromPolicy !== undefined) return { tier: fromPolicy, source: 'policy' };
  const fromRegistry = overrides !== undefined && Object.hasOwn(overrides, input.tool) ? overrides[input.tool] : undefined;
  if (fromRegistry !== undefined) return { tier: fromRegistry, source: 'registry' };
  const byName = tierFromName(input.tool);
  const byHints = tierFromHints(input.hints);
  if (byHints === undefined) return { tier: byName, source: 'name' };
  const tier = maxTier(byName, byHints);
  return { tier, source: tier === byName ? 'name' : 'annotation' };
}
