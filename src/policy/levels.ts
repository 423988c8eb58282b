export type Tier = 'read' | 'write' | 'destructive';
export type AutonomyLevel = 'L0' | 'L1' | 'L2' | 'L3';

export const TIERS: readonly Tier[] = ['read', 'write', 'destructive'];
export const AUTONOMY_LEVELS: readonly AutonomyLevel[] = ['L0', 'L1', 'L2', 'L3'];

const TIER_RANK: Record<Tier, number> = { read: 0, write: 1, destructive: 2 };

/** The more cautious of two tiers. */
export function maxTier(a: Tier, b: Tier): Tier {
  return TIER_RANK[a] >= TIER_RANK[b] ? a : b;
}

export function autonomyRank(level: AutonomyLevel): number {
  return AUTONOMY_LEVELS.indexOf(level);
}
