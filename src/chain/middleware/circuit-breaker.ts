import { isReaError } from '../../errors.js';
import { deny, STOPPED, type Middleware, type RequestContext } from '../types.js';

/** What this stage needs of a server's circuit breaker (the supervisor's, gateway/circuit-breaker.ts). */
export interface Breaker {
  readonly current: string;
  tryAcquire(): boolean;
  release(): void;
  recordSuccess(): void;
  recordFailure(): void;
}

/**
 * Stage `circuit-breaker`: fail fast while a server's circuit is open; count the call's outcome when
 * it returns. A call the agent cancelled says nothing about the server's health, so it is not
 * counted; nor is a timeout when `circuit_breaker.count_timeouts` is off.
 */
export function circuitBreaker(breakerOf: (server: string) => Breaker | undefined): Middleware {
  // Reactions rather than an async frame with `finally`: this runs for every call (issue 11).
  return function circuitBreaker(ctx, next) {
    const breaker = breakerOf(ctx.server);
    if (!breaker) return next();
    if (!breaker.tryAcquire()) {
      deny(ctx, 'circuit_open', 'circuit-breaker', `Circuit for server "${ctx.server}" is ${breaker.current}; failing fast`);
      return STOPPED;
    }
    return next().then(
      () => count(ctx, breaker),
      (error: unknown) => {
        count(ctx, breaker);
        throw error;
      },
    );
  };
}

/** The call's outcome, told to its server's breaker however the chain ended. */
function count(ctx: RequestContext, breaker: Breaker): void {
  const outcome = ctx.outcome;
  if (!outcome || ctx.signal.aborted) breaker.release();
  else if (outcome.kind === 'result') breaker.recordSuccess();
  else if (isReaError(outcome.error, 'DOWNSTREAM_TIMEOUT') && !ctx.policy.policy.circuit_breaker.count_timeouts) breaker.release();
  else breaker.recordFailure();
}
