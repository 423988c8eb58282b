import type { Cancellation, Confirmation, Decision, RequestContext, Surface, Tier, ToolHints } from '../../chain/types.js';
import type { GatewayCore } from './core.js';
import { tierFromHints } from '../../policy/tier-classifier.js';
import { newCallId } from './call-id.js';

export interface RequestInit {
  readonly surface: Surface;
  readonly server: string;
  readonly serverCwd: string;
  readonly name: string;
  readonly exposedName: string;
  readonly params: Record<string, unknown>;
  readonly args: Record<string, unknown>;
  readonly hints?: ToolHints;
  readonly tier?: Tier;
  readonly signal: Cancellation;
  readonly forward: RequestContext['forward'];
  readonly confirm?: (message: string) => Promise<Confirmation>;
  readonly requestId?: string | number | undefined;
}

/** Every request starts allowed; a stage that denies replaces the decision, never edits it. */
const ALLOWED: Decision = Object.freeze({ kind: 'allow' });

/** Where the gateway cannot ask the user. */
const cannotConfirm = (): Promise<Confirmation> => Promise.resolve('unsupported');

/** A fresh context for one governed request, with its policy snapshot; stages fill in tier, decision and outcome. */
export function newRequestContext(core: GatewayCore, init: RequestInit): RequestContext {
  const policy = core.governance.policy();
  return {
    callId: newCallId(),
    sessionId: core.sessionId,
    surface: init.surface,
    server: init.server,
    name: init.name,
    exposedName: init.exposedName,
    params: init.params,
    args: init.args,
    hints: init.hints ?? {},
    serverCwd: init.serverCwd,
    // Provisional until the tier stage runs; a denial before it (HALT) is recorded with this.
    tier: init.tier ?? tierFromHints(init.hints ?? {}) ?? 'write',
    policy,
    autonomy: policy.autonomy,
    needsConfirmation: false,
    argsDigest: undefined,
    signal: init.signal,
    startedAt: performance.now(),
    decision: ALLOWED,
    metadata: {},
    redactedFields: [],
    confirm: init.confirm ?? cannotConfirm,
    forward: init.forward,
    requestId: init.requestId,
    // Present from the start, so setting it later keeps every context the same shape.
    trace: undefined,
  };
}

/** The params to forward with extra `_meta` entries (trace context) merged over the agent's own. */
export function withMeta(params: Record<string, unknown>, meta: Readonly<Record<string, string>> | undefined): Record<string, unknown> {
  if (meta === undefined) return params;
  const own = params['_meta'];
  return { ...params, _meta: { ...(own !== null && typeof own === 'object' ? own : {}), ...meta } };
}
