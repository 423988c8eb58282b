/**
 * THE chain: every stage built and configured once, and the order each surface runs them in. This
 * is the only place either appears (STYLE.md §2, §7.2). Koa onion: the first stage runs first and
 * finishes last, so post-stages (scan-result, size-cap) are listed before execute in the reverse of
 * the order their post-work runs: EXECUTE → size-cap → scan-result → … → audit.
 */
import type { AuditLog } from '../audit/log-writer.js';
import type { ScanOptions } from '../scan/scan-options.js';
import type { TierOverrides } from '../policy/tier-classifier.js';
import type { LoadedPolicy } from '../config/policy-source.js';
import { compose, type Chain } from './compose.js';
import { readHalt } from './halt-file.js';
import type { Middleware, RequestObserver } from './types.js';
import { audit } from './middleware/audit.js';
import { blockedPaths } from './middleware/blocked-paths.js';
import { circuitBreaker, type Breaker } from './middleware/circuit-breaker.js';
import { confirm } from './middleware/confirm.js';
import { execute } from './middleware/execute.js';
import { intent } from './middleware/intent.js';
import { killSwitch } from './middleware/kill-switch.js';
import { policy } from './middleware/policy.js';
import { rateLimit } from './middleware/rate-limit.js';
import { scanArguments } from './middleware/scan-arguments.js';
import { scanResult } from './middleware/scan-result.js';
import { sizeCap } from './middleware/size-cap.js';
import { tier } from './middleware/tier.js';

/** What the stages need from the running gateway, given once at start-up. */
export interface PipelineDeps {
  /** The project root (blocked paths resolve against it) and `.rea/HALT`. */
  readonly root: string;
  readonly haltPath: string;
  /** The registry's `tier_overrides` of a server. */
  readonly tierOverrides: (server: string) => TierOverrides | undefined;
  /** The audit log; undefined turns auditing off (tests, benchmarks). */
  readonly auditLog: () => AuditLog | undefined;
  /** Telemetry's per-request observer, once telemetry has started (issue 13). */
  readonly requestObserver?: () => RequestObserver | undefined;
  /** Content-security options compiled for a policy snapshot (cached per snapshot by the caller). */
  readonly scanOptions: (policy: LoadedPolicy) => ScanOptions;
  readonly breakerOf: (server: string) => Breaker | undefined;
}

/** The pipelines, one per surface; `passthrough` and `internal` serve several requests each. */
export type PipelineName = 'tool' | 'resource' | 'prompt' | 'sampling' | 'elicitation' | 'passthrough' | 'internal';
export type Pipelines = Readonly<Record<PipelineName, Chain>>;
export type StageLists = Readonly<Record<PipelineName, readonly Middleware[]>>;

/** Every stage, configured once, shared by the lists below (rate-limit buckets, breaker state). */
export function stageLists(deps: PipelineDeps): StageLists {
  const s = {
    audit: audit(deps.auditLog, deps.requestObserver === undefined ? {} : { observer: deps.requestObserver }),
    killSwitch: killSwitch(deps.haltPath),
    tier: tier(deps.tierOverrides),
    policy: policy(),
    blockedPaths: blockedPaths(deps.root),
    rateLimit: rateLimit(),
    circuitBreaker: circuitBreaker(deps.breakerOf),
    confirm: confirm(() => readHalt(deps.haltPath).kind !== 'absent'),
    scanArguments: scanArguments(deps.scanOptions),
    scanResult: scanResult(deps.scanOptions),
    sizeCap: sizeCap(),
    intent: intent(deps.auditLog),
    execute: execute(),
  };
  return {
    tool: [
      s.audit,
      s.killSwitch,
      s.tier,
      s.policy,
      s.blockedPaths,
      s.rateLimit,
      s.circuitBreaker,
      s.confirm,
      s.scanArguments,
      s.scanResult,
      s.sizeCap,
      s.intent,
      s.execute,
    ],
    // Reads: the tier is `read` from the start, so there is nothing to classify, confirm or intend.
    resource: [s.audit, s.killSwitch, s.policy, s.blockedPaths, s.rateLimit, s.circuitBreaker, s.scanArguments, s.scanResult, s.sizeCap, s.execute],
    prompt: [s.audit, s.killSwitch, s.policy, s.blockedPaths, s.rateLimit, s.circuitBreaker, s.scanArguments, s.scanResult, s.sizeCap, s.execute],
    // A downstream's requests towards the agent's client: its breaker counts its own answers, not these.
    sampling: [s.audit, s.killSwitch, s.policy, s.blockedPaths, s.rateLimit, s.scanArguments, s.scanResult, s.sizeCap, s.execute],
    elicitation: [s.audit, s.killSwitch, s.policy, s.blockedPaths, s.rateLimit, s.scanArguments, s.scanResult, s.sizeCap, s.execute],
    // Requests that are not calls yet reach a downstream on the agent's behalf (completions, resource
    // subscriptions, a task's late result): recorded, stopped by HALT, checked against the server lists
    // and for blocked paths; what comes back is redacted, scanned and capped like a result. The tier
    // does not apply: a task's result was decided when the call that made the task was allowed.
    passthrough: [s.audit, s.killSwitch, s.policy, s.blockedPaths, s.scanResult, s.sizeCap, s.execute],
    // rea's own read-only tools (health): recorded, and nothing else, so they work under HALT.
    internal: [s.audit, s.execute],
  };
}

/** Every pipeline, composed. */
export function buildPipelines(deps: PipelineDeps): Pipelines {
  const lists = stageLists(deps);
  return {
    tool: compose(lists.tool),
    resource: compose(lists.resource),
    prompt: compose(lists.prompt),
    sampling: compose(lists.sampling),
    elicitation: compose(lists.elicitation),
    passthrough: compose(lists.passthrough),
    internal: compose(lists.internal),
  };
}
