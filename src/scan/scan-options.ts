/**
 * Content-security options compiled once from the policy (STYLE.md §7.3): the redactor with user
 * patterns vetted at load, the classifier, and the action table per surface, tier and verdict.
 * Mirrors the policy keys `redact`, `injection` and `injection_detection` (config/policy-schema-sections.ts).
 */
import type { Tier } from '../policy/levels.js';
import { classify, type Classification, type ClassifySurface } from './injection-classifier.js';
import { createRedactor, type Redactor } from './redactor.js';
import { compileUserPatterns, type UserPatternInput } from './user-patterns.js';

export type ScanSurface = 'arguments' | 'result' | 'description' | 'resource' | 'prompt';
export type ScanAction = 'block' | 'warn' | 'quarantine';
export type FlaggedVerdict = 'suspicious' | 'likely_injection';
type TierActions = Partial<Record<Tier, ScanAction>>;
type VerdictActions = Partial<Record<FlaggedVerdict, ScanAction | TierActions>>;

/** The policy section this compiles (a structural subset of the policy schema). */
export interface ScanPolicySection {
  readonly redact?: {
    readonly patterns?: readonly UserPatternInput[];
    readonly match_timeout_ms?: number;
    readonly arguments?: 'redact' | 'allow';
    readonly allow_servers?: readonly string[];
  };
  readonly injection?: {
    readonly suspicious_blocks_writes?: boolean;
    readonly actions?: Partial<Record<ScanSurface, VerdictActions>>;
  };
  readonly injection_detection?: 'block' | 'warn';
}

export interface ScanOptions {
  readonly redactor: Redactor;
  /** Descriptions are judged as descriptions (they should describe, not instruct); everything else as a result. */
  readonly classify: (text: string, surface?: ClassifySurface) => Classification;
  actionFor(surface: ScanSurface, tier: Tier, verdict: FlaggedVerdict): ScanAction;
  /** What the downstream receives when its arguments hold secrets. */
  argumentMode(server: string): 'redact' | 'allow';
}

export interface CompileScanExtras {
  /** Secret values the gateway injects into children through `env` (all servers). */
  readonly exactValues?: readonly string[];
  /** Policy file path for error messages. */
  readonly file?: string;
}

export function compileScanOptions(section: ScanPolicySection = {}, extras: CompileScanExtras = {}): ScanOptions {
  const redactor = createRedactor({
    userPatterns: compileUserPatterns(section.redact?.patterns ?? [], extras.file),
    matchTimeoutMs: section.redact?.match_timeout_ms,
    exactValues: extras.exactValues,
  });
  const detection = section.injection_detection ?? 'block';
  const suspiciousBlocksWrites = section.injection?.suspicious_blocks_writes ?? detection === 'block';
  const actions = section.injection?.actions ?? {};
  const allowServers = new Set(section.redact?.allow_servers ?? []);
  const argumentsMode = section.redact?.arguments ?? 'redact';

  function actionFor(surface: ScanSurface, tier: Tier, verdict: FlaggedVerdict): ScanAction {
    const configured = actions[surface]?.[verdict];
    const explicit = typeof configured === 'string' ? configured : configured?.[tier];
    if (explicit !== undefined) return explicit;
    return defaultAction(surface, tier, verdict);
  }

  /**
   * Defaults (issue 5): likely injection is blocked (descriptions: quarantined); suspicious content at
   * write/destructive tiers is blocked, elsewhere it warns. Arguments are the agent's own words (a
   * security doc it was asked to write), so they only warn unless policy says otherwise.
   */
  function defaultAction(surface: ScanSurface, tier: Tier, verdict: FlaggedVerdict): ScanAction {
    if (surface === 'arguments') return 'warn';
    if (verdict === 'likely_injection') {
      if (detection === 'warn') return 'warn';
      return surface === 'description' ? 'quarantine' : 'block';
    }
    if (surface === 'description') return 'warn';
    return tier !== 'read' && suspiciousBlocksWrites ? 'block' : 'warn';
  }

  return {
    redactor,
    classify,
    actionFor,
    argumentMode: (server) => (allowServers.has(server) ? 'allow' : argumentsMode),
  };
}
