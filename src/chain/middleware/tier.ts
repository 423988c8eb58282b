import type { LoadedPolicy } from '../../config/policy-source.js';
import { toolIdentity } from '../../policy/autonomy.js';
import { classifyTier, type TierOverrides, type TierResult } from '../../policy/tier-classifier.js';
import type { Middleware } from '../types.js';

interface CacheEntry {
  readonly overrides: TierOverrides | undefined;
  readonly readOnlyHint: boolean | undefined;
  readonly destructiveHint: boolean | undefined;
  readonly result: TierResult;
}

/** Bound on cached names: tool names come from the agent, so an unbounded map would be a leak. */
const MAX_CACHED = 10_000;

/**
 * Stage `tier`: classify the call into read / write / destructive (policy/tier-classifier.ts) and set
 * `ctx.tier`. Results are cached per loaded policy, tool, registry overrides and hints, so a call costs a
 * map lookup. Only the tool pipeline has this stage: other surfaces only read and start as `read`.
 */
export function tier(getTierOverrides: (server: string) => TierOverrides | undefined = () => undefined): Middleware {
  let cachedFor: LoadedPolicy | undefined;
  let cache = new Map<string, CacheEntry>();
  return function tier(ctx, next) {
    const loaded = ctx.policy;
    if (loaded !== cachedFor || cache.size >= MAX_CACHED) {
      cachedFor = loaded;
      cache = new Map();
    }
    const overrides = getTierOverrides(ctx.server);
    const { readOnlyHint, destructiveHint } = ctx.hints;
    const exposedName = toolIdentity(ctx.server, ctx.name).exposedName;
    let entry = cache.get(exposedName);
    if (!entry || entry.overrides !== overrides || entry.readOnlyHint !== readOnlyHint || entry.destructiveHint !== destructiveHint) {
      const result = classifyTier({ tool: ctx.name, exposedName, hints: ctx.hints }, loaded.compiled, overrides);
      entry = { overrides, readOnlyHint, destructiveHint, result };
      cache.set(exposedName, entry);
    }
    ctx.tier = entry.result.tier;
    ctx.metadata['tier_source'] = entry.result.source;
    return next();
  };
}
