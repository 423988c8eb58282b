/** The gates git runs, and what a gate can say about a commit or push. */

export const GATE_NAMES = ['pre-commit', 'commit-msg', 'pre-push'] as const;
export type GateName = (typeof GATE_NAMES)[number];

export function isGateName(name: string): name is GateName {
  return (GATE_NAMES as readonly string[]).includes(name);
}

/** What each gate stops, for messages. */
export const GATE_VERB: Record<GateName, 'commit' | 'push'> = { 'pre-commit': 'commit', 'commit-msg': 'commit', 'pre-push': 'push' };

/** Audit `deny_code`s, lowercase like the gateway's (`halt`, `blocked_path`). */
/** `policy`: the policy could not be loaded; `internal`: anything else that kept the gate from deciding. */
export type GateDenyCode = 'halt' | 'policy' | 'internal' | 'secret' | 'blocked_path' | 'scan_incomplete' | 'ai_attribution';

/** Where something was found and what it is; never the value itself. */
export interface GateFinding {
  /** `path:line`, or `path` when the whole file is the problem. */
  readonly where: string;
  readonly kind: string;
}

export interface GateRefusal {
  readonly code: GateDenyCode;
  /** One line: what was found. */
  readonly summary: string;
  readonly findings: readonly GateFinding[];
  /** What the person committing should do next. */
  readonly next: string;
}
