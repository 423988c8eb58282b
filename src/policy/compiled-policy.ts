import { picomatch } from './lazy-picomatch.js';
import type { Tier } from './levels.js';

/** A rate limit as `rate_limits` states it (config/policy-schema-control.ts validates it). */
export interface Limit {
  readonly rate?: number | undefined;
  readonly burst?: number | undefined;
  readonly max_in_flight?: number | undefined;
}

/**
 * The policy sections compiled here: a structural subset of config's `Policy`, which satisfies it,
 * so decisions stay pure code that knows nothing of YAML or schemas.
 */
export interface PolicyRules {
  readonly tools: readonly {
    readonly match: string | readonly string[];
    readonly tier?: Tier | undefined;
    readonly allow?: boolean | undefined;
    readonly deny?: boolean | undefined;
    readonly confirm?: boolean | undefined;
  }[];
  readonly servers: Readonly<Record<string, { readonly allow?: readonly string[] | undefined; readonly deny?: readonly string[] | undefined }>>;
  readonly rate_limits: { readonly tools?: Readonly<Record<string, Limit>> | undefined };
}

/** A compiled glob: true when the name matches. */
export type NameMatcher = (name: string) => boolean;

export interface CompiledToolRule {
  readonly isMatch: NameMatcher;
  readonly tier: Tier | undefined;
  readonly allow: boolean;
  readonly deny: boolean;
  readonly confirm: boolean;
}

export interface CompiledServerRule {
  /** Undefined when the server has no allowlist (every tool passes this check). */
  readonly allow: NameMatcher | undefined;
  readonly deny: NameMatcher | undefined;
  /** `allow: []`: the server is allowed nothing on any surface (prompts, resources, sampling, …). */
  readonly allowsNothing: boolean;
}

export interface CompiledToolLimit {
  readonly isMatch: NameMatcher;
  readonly key: string;
  readonly limit: Limit;
}

/** Everything the policy stages need, compiled once per loaded policy (STYLE.md §7.3). */
export interface CompiledPolicy {
  readonly toolRules: readonly CompiledToolRule[];
  readonly servers: ReadonlyMap<string, CompiledServerRule>;
  readonly toolLimits: readonly CompiledToolLimit[];
}

const GLOB_OPTIONS = { dot: true } as const;

/** Compile a list of globs into one matcher; names are exposed tool names, not paths. */
function compileGlobs(globs: readonly string[]): NameMatcher | undefined {
  if (globs.length === 0) return undefined;
  const matcher = picomatch()([...globs], GLOB_OPTIONS);
  return (name) => matcher(name);
}

export function compilePolicy(policy: PolicyRules): CompiledPolicy {
  const toolRules = policy.tools.map((rule): CompiledToolRule => {
    const globs = typeof rule.match === 'string' ? [rule.match] : rule.match;
    return {
      isMatch: compileGlobs(globs)!,
      tier: rule.tier,
      allow: rule.allow === true,
      deny: rule.deny === true,
      confirm: rule.confirm === true,
    };
  });
  const servers = new Map<string, CompiledServerRule>();
  for (const [name, rule] of Object.entries(policy.servers)) {
    // An explicit empty allowlist means "nothing": keep it as a matcher that never matches.
    const allow = rule.allow === undefined ? undefined : (compileGlobs(rule.allow) ?? (() => false));
    servers.set(name, { allow, deny: compileGlobs(rule.deny ?? []), allowsNothing: rule.allow?.length === 0 });
  }
  const toolLimits = Object.entries(policy.rate_limits.tools ?? {}).map(([glob, limit]) => ({
    isMatch: compileGlobs([glob])!,
    key: glob,
    limit,
  }));
  return { toolRules, servers, toolLimits };
}

/** First rule that sets a tier for this exposed name, if any. */
export function ruleTier(compiled: CompiledPolicy, exposedName: string): Tier | undefined {
  for (const rule of compiled.toolRules) {
    if (rule.tier !== undefined && rule.isMatch(exposedName)) return rule.tier;
  }
  return undefined;
}

/** The limit for a tool: first `rate_limits.tools` glob that matches, in file order. */
export function toolLimit(compiled: CompiledPolicy, exposedName: string): CompiledToolLimit | undefined {
  return compiled.toolLimits.find((entry) => entry.isMatch(exposedName));
}
