import { autonomyRank, type AutonomyLevel } from '../policy/levels.js';

/** A runtime raise of autonomy that waits for a human (promotion_requires_human_approval). */
export interface PendingPromotion {
  readonly from: AutonomyLevel;
  readonly to: AutonomyLevel;
  readonly requestedAt: string;
}

export interface AutonomyChange {
  /** Level in force now. */
  readonly current: AutonomyLevel;
  /** Ceiling in force now (the startup `max_autonomy_level`, possibly lowered since). */
  readonly ceiling: AutonomyLevel;
  /** `autonomy_level` and `max_autonomy_level` of the edited file. */
  readonly requested: AutonomyLevel;
  readonly requestedMax: AutonomyLevel;
  readonly needsApproval: boolean;
  /** A level the human already refused; not asked again. */
  readonly rejected: AutonomyLevel | undefined;
}

export interface AutonomyDecision {
  readonly autonomy: AutonomyLevel;
  readonly ceiling: AutonomyLevel;
  readonly pending: PendingPromotion | undefined;
  /** Set when the file asked for more than the ceiling allows. */
  readonly clampedFrom: AutonomyLevel | undefined;
}

const lower = (a: AutonomyLevel, b: AutonomyLevel): AutonomyLevel => (autonomyRank(a) <= autonomyRank(b) ? a : b);

/**
 * What a policy edit does to autonomy while the gateway runs (THREAT_MODEL.md T2). The ceiling can
 * only come down at runtime: an edit that raises `max_autonomy_level` takes effect at the next start,
 * so an agent that can write the file still cannot lift itself past what the operator started with.
 * Lowering is immediate; a raise is immediate only without `promotion_requires_human_approval`.
 */
export function decideAutonomy(change: AutonomyChange): AutonomyDecision {
  const ceiling = lower(change.ceiling, change.requestedMax);
  const target = lower(change.requested, ceiling);
  const clampedFrom = target === change.requested ? undefined : change.requested;
  if (autonomyRank(target) <= autonomyRank(change.current) || !change.needsApproval) {
    return { autonomy: target, ceiling, pending: undefined, clampedFrom };
  }
  if (change.rejected === target) return { autonomy: change.current, ceiling, pending: undefined, clampedFrom };
  const pending = { from: change.current, to: target, requestedAt: new Date().toISOString() };
  return { autonomy: change.current, ceiling, pending, clampedFrom };
}
