import { compose } from './compose.js';
import type { Middleware, RequestContext } from './types.js';

/** Every stage of the governed chain, by name. */
export interface Stages {
  readonly audit: Middleware;
  readonly killSwitch: Middleware;
  readonly tier: Middleware;
  readonly policy: Middleware;
  readonly blockedPaths: Middleware;
  readonly rateLimit: Middleware;
  readonly circuitBreaker: Middleware;
  readonly confirm: Middleware;
  readonly scanArguments: Middleware;
  readonly scanResult: Middleware;
  readonly sizeCap: Middleware;
  readonly execute: Middleware;
}

/**
 * THE order of the chain, and the only place it is written. Koa onion: the first stage runs
 * first and finishes last, so post-stages are listed outside execute in reverse of the order their
 * post-work runs: EXECUTE → size-cap → scan-result (redaction, injection) → … → audit.
 */
export function orderedStages(s: Stages): readonly Middleware[] {
  return [
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
    s.execute,
  ];
}

/**
 * Requests that are not calls yet reach a downstream on the agent's behalf (completions, resource
 * subscriptions, a task's late result): recorded, stopped by HALT, checked for blocked paths, and
 * what comes back is redacted, scanned and capped like a result. The server lists apply; the tier
 * does not: a task's result was decided when the call that made the task was allowed.
 */
export function passthroughStages(s: Stages): readonly Middleware[] {
  return [s.audit, s.killSwitch, s.policy, s.blockedPaths, s.scanResult, s.sizeCap, s.execute];
}

/** rea's own read-only tools (health): recorded, and nothing else, so they work under HALT. */
export function internalStages(s: Pick<Stages, 'audit' | 'execute'>): readonly Middleware[] {
  return [s.audit, s.execute];
}

export function buildChain(stages: readonly Middleware[]): (ctx: RequestContext) => Promise<void> {
  return compose(stages);
}
