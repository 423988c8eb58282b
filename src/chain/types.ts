import type { LoadedPolicy } from '../config/policy-source.js';
import type { Tier, AutonomyLevel } from '../policy/levels.js';
import type { AuditRecord } from '../audit/record.js';

export type { Tier, AutonomyLevel };

/** Which MCP surface a governed request belongs to. */
export type Surface = 'tool' | 'resource' | 'prompt' | 'sampling' | 'elicitation' | 'completion';

/** Stable codes for denials: they go into audit records and the agent-facing message. */
export type DenyCode =
  | 'halt'
  | 'tier'
  | 'policy'
  | 'blocked_path'
  | 'rate_limit'
  | 'circuit_open'
  | 'confirmation'
  | 'injection'
  | 'tofu'
  | 'audit_unavailable'
  | 'internal';

export type Decision =
  | { kind: 'allow' }
  | { kind: 'deny'; code: DenyCode; stage: string; reason: string; message?: string };

/** What EXECUTE produced. Post-stages may rewrite `result`. */
export type Outcome =
  | { kind: 'result'; result: Record<string, unknown> }
  | { kind: 'error'; error: unknown };

/** Answer of a user confirmation (MCP elicitation), or why none was possible. */
export type Confirmation = 'accept' | 'decline' | 'cancel' | 'timeout' | 'unsupported';

/** Tool hints from MCP annotations that matter for governance. */
export interface ToolHints {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
}

/**
 * What the gateway needs of a request's cancellation. An AbortSignal is one; a tools/call taken off
 * the wire is handed a cheaper one (gateway/transport/cancellation.ts) that builds an AbortSignal
 * only if something asks for it.
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RequestContext {
  /** Unique per request; links intent and outcome records. */
  readonly callId: string;
  readonly sessionId: string;
  readonly surface: Surface;
  /** Downstream server name (registry entry). */
  readonly server: string;
  /** Un-prefixed tool or prompt name, or the resource URI. */
  readonly name: string;
  /** The name as the agent sees it (`<server>__<tool>`, or unchanged in wrap mode). */
  readonly exposedName: string;
  /** Params as the agent sent them; never mutated. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Arguments that will be forwarded (redaction may rewrite). */
  args: Record<string, unknown>;
  readonly hints: ToolHints;
  /** Working directory of the downstream, for resolving relative paths. */
  readonly serverCwd: string;
  tier: Tier;
  /** The policy in force when the request arrived: every stage reads this one snapshot (STYLE.md §7.11). */
  readonly policy: LoadedPolicy;
  /** The snapshot's autonomy level, as recorded. */
  readonly autonomy: AutonomyLevel;
  /** Set by the policy stage: the user must accept this call first (the confirm stage asks). */
  needsConfirmation: boolean;
  /** Digest of `params`, computed once by the audit stage for the intent and outcome records. */
  argsDigest: string | undefined;
  /** Agent cancellation, passed down to execute. */
  readonly signal: Cancellation;
  /** performance.now() at chain entry. */
  readonly startedAt: number;
  decision: Decision;
  outcome?: Outcome;
  /** Audit metadata gathered by stages (redacted summaries and digests only). */
  readonly metadata: Record<string, unknown>;
  /** Where something was redacted: `path:pattern` entries, never the value. */
  readonly redactedFields: string[];
  /** Ask the human (MCP elicitation). Present when the gateway can ask. */
  readonly confirm: (message: string) => Promise<Confirmation>;
  /**
   * Forward to the downstream. Only the execute stage calls it; `meta` joins the request's `_meta`
   * (trace context, issue 13). No stage replaces it.
   */
  readonly forward: (args: Record<string, unknown>, signal: Cancellation, meta?: Readonly<Record<string, string>>) => Promise<Record<string, unknown>>;
  /** The JSON-RPC id of the agent's request, when the surface knows it. */
  readonly requestId?: string | number | undefined;
  /** Telemetry's view of this request (timed steps become child spans); set by the audit stage when on. */
  trace?: RequestTrace | undefined;
}

export type Middleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void>;

/**
 * What a stage with no post-work returns when it stops the chain. Such stages are plain functions
 * that return `next()` (or this) rather than async ones: no promise and frame of their own per call.
 */
export const STOPPED: Promise<void> = Promise.resolve();

export function deny(ctx: RequestContext, code: DenyCode, stage: string, reason: string, message?: string): void {
  ctx.decision = message === undefined ? { kind: 'deny', code, stage, reason } : { kind: 'deny', code, stage, reason, message };
}

/*
 * The seam telemetry hangs on (issue 13). The audit stage asks for an observer on every request;
 * with telemetry off there is none, and the stage pays one undefined check. Implementations live in
 * `observability/telemetry/` and are loaded only when telemetry is configured.
 */

/** The timed steps of a request that get their own child span. */
export type RequestStep = 'confirm' | 'downstream' | 'audit.append';

export interface RequestObserver {
  /** Called once as the request enters the chain. */
  begin(ctx: RequestContext): RequestTrace;
}

export interface RequestTrace {
  /** Runs `work` as one timed step of the request. */
  step<T>(name: RequestStep, work: () => Promise<T>): Promise<T>;
  /** `_meta` entries that carry the trace to the downstream (W3C `traceparent`, `tracestate`). */
  readonly downstreamMeta: Readonly<Record<string, string>> | undefined;
  /**
   * Called once, after the outcome record was written (`record`) or could not be (`undefined`).
   * `answeredAt` (a `performance.now()` time) is when the answer left, when the record came later.
   */
  end(ctx: RequestContext, record: AuditRecord | undefined, answeredAt?: number): void;
}
